//! Per-article analysis, fast tier: tokens, sentences and named entities.
//!
//! Everything here is a pure function of the article text: no clock, network,
//! store or other articles. The entity tagger's model is trained by this crate
//! (`examples/train_ner.rs`) and embedded in the binary, so analysis needs no
//! files or downloads at run time.
//!
//! ```
//! use storyline_analyze::{entities, split_sentences, tokenize, EntityLabel};
//!
//! let text = "Antony Blinken arrived in Tel Aviv on Friday. He met Netanyahu.";
//! let tokens = tokenize(text);
//! let sentences = split_sentences(text, &tokens);
//! assert_eq!(sentences.len(), 2);
//! let found = entities(text, &tokens, &sentences);
//! assert!(found.iter().any(|e| e.text == "Tel Aviv" && e.label == EntityLabel::Loc));
//! assert!(found.iter().any(|e| e.text == "Netanyahu" && e.label == EntityLabel::Per));
//! ```
#![deny(missing_docs)]

pub mod attribution;
pub mod document;
pub mod events;
pub mod figures;
mod lang;
mod mentions;
pub mod ner;
pub mod referents;
pub mod sentence;
pub mod timex;
pub mod token;

pub use ner::{entities, EntityLabel, EntityMention, ModelError, NerModel, Tag};
pub use sentence::{cap_sentences, split_sentences, Sentence, MAX_SENTENCE_TOKENS};
pub use token::{for_each_token, model_form, tokenize, Token, TokenKind};
