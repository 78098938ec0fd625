//! CoNLL-2003 NER evaluation: being written.
