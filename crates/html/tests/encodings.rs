//! Pages in legacy encodings, declared and undeclared, decode correctly.

use chrono::NaiveDate;
use encoding_rs::Encoding;
use storyline_html::{decode, extract, ExtractOptions};

const ARABIC: &str = "قال مسؤولون إن المفاوضات استؤنفت يوم الخميس في الدوحة بعد توقف دام أسبوعين، وإن الطرفين وافقا على مناقشة إطلاق سراح الرهائن.";
const RUSSIAN: &str = "Переговоры возобновились в четверг в Дохе после двухнедельного перерыва, сообщили чиновники, знакомые с ходом обсуждений.";
const JAPANESE: &str = "当局者によると、交渉は二週間の中断の後、木曜日にドーハで再開された。双方は人質の解放について話し合うことで合意した。";
const CHINESE: &str =
    "官员表示，谈判在中断两周后于周四在多哈恢复。双方同意讨论释放人质和暂停战斗的问题。";
const FRENCH: &str = "Les négociations ont repris jeudi à Doha après une pause de deux semaines, ont déclaré des responsables proches du dossier. « Nous sommes prudemment optimistes », a-t-il ajouté.";

fn page(text: &str, meta: Option<&str>) -> String {
    let meta = meta
        .map(|m| format!("<meta charset=\"{m}\">"))
        .unwrap_or_default();
    format!("<html><head>{meta}<title>t</title></head><body><article><p>{text}</p><p>{text}</p></article></body></html>")
}

fn encode(label: &str, text: &str) -> Vec<u8> {
    let enc = Encoding::for_label(label.as_bytes()).unwrap_or(encoding_rs::UTF_8);
    enc.encode(text).0.into_owned()
}

fn check(label: &str, expected_name: &str, text: &str) {
    let opts = ExtractOptions::new(NaiveDate::from_ymd_opt(2024, 1, 1).unwrap_or_default());
    for declared in [Some(label), None] {
        let bytes = encode(label, &page(text, declared));
        let (decoded, enc) = decode(&bytes, None);
        assert_eq!(enc.name(), expected_name, "{label} declared={declared:?}");
        assert!(decoded.contains(text), "{label} declared={declared:?}");
        let extracted = extract(&bytes, &opts).map(|p| (p.text, p.encoding));
        assert_eq!(
            extracted,
            Ok((format!("{text}\n\n{text}"), expected_name)),
            "{label}"
        );
    }
    // Declared only in the HTTP header.
    let bytes = encode(label, &page(text, None));
    let (decoded, _) = decode(&bytes, Some(&format!("text/html; charset={label}")));
    assert!(decoded.contains(text));
}

#[test]
fn windows_1256_arabic() {
    check("windows-1256", "windows-1256", ARABIC);
}

#[test]
fn windows_1251_cyrillic() {
    check("windows-1251", "windows-1251", RUSSIAN);
}

#[test]
fn shift_jis_japanese() {
    check("shift_jis", "Shift_JIS", JAPANESE);
}

#[test]
fn gb18030_chinese() {
    // chardetng reports the GBK family as GBK; GB18030 decodes it identically.
    let opts = ExtractOptions::new(NaiveDate::from_ymd_opt(2024, 1, 1).unwrap_or_default());
    for declared in [Some("gb18030"), None] {
        let bytes = encode("gb18030", &page(CHINESE, declared));
        let (decoded, enc) = decode(&bytes, None);
        assert!(matches!(enc.name(), "gb18030" | "GBK"), "{}", enc.name());
        assert!(decoded.contains(CHINESE));
        assert!(extract(&bytes, &opts).is_ok_and(|p| p.text.contains(CHINESE)));
    }
}

#[test]
fn latin1_french() {
    // The web's "iso-8859-1" label means windows-1252.
    check("iso-8859-1", "windows-1252", FRENCH);
}

#[test]
fn utf16_with_bom() {
    for (bom, le) in [([0xFFu8, 0xFE], true), ([0xFE, 0xFF], false)] {
        let mut bytes = bom.to_vec();
        for unit in page(RUSSIAN, Some("utf-8")).encode_utf16() {
            bytes.extend(if le {
                unit.to_le_bytes()
            } else {
                unit.to_be_bytes()
            });
        }
        let (decoded, enc) = decode(&bytes, Some("text/html; charset=iso-8859-1"));
        assert_eq!(enc.name(), if le { "UTF-16LE" } else { "UTF-16BE" });
        assert!(decoded.contains(RUSSIAN));
    }
}
