//! The language codes WhatsApp accepts for message templates.
//!
//! Source: Meta's "Supported languages" reference for WhatsApp message templates (the base list
//! of 70 languages plus the regional variants added in 2024–2025). Codes are case-sensitive and
//! use `_`, never `-` (`en_US`, not `en-US`).
//!
//! ```
//! use sendexa_whatsapp::engine::template::locales::is_template_locale;
//! assert!(is_template_locale("en_US") && is_template_locale("pt_BR") && is_template_locale("en_GH"));
//! assert!(!is_template_locale("en-US") && !is_template_locale("EN_US"));
//! ```

/// Every template language code, in alphabetical order.
pub const TEMPLATE_LOCALES: [&str; 111] = [
    "af", "ar", "ar_AE", "ar_EG", "ar_LB", "ar_MA", "ar_QA", "az", "be_BY", "bg", "bn", "bn_IN",
    "ca", "cs", "da", "de", "de_AT", "de_CH", "el", "en", "en_AE", "en_AU", "en_CA", "en_GB",
    "en_GH", "en_IE", "en_IN", "en_JM", "en_MY", "en_NZ", "en_QA", "en_SG", "en_UG", "en_US",
    "en_ZA", "es", "es_AR", "es_CL", "es_CO", "es_CR", "es_DO", "es_EC", "es_ES", "es_HN", "es_MX",
    "es_PA", "es_PE", "es_UY", "et", "fa", "fi", "fil", "fr", "fr_BE", "fr_CA", "fr_CH", "fr_CI",
    "fr_MA", "ga", "gu", "ha", "he", "hi", "hr", "hu", "id", "it", "ja", "ka", "kk", "kn", "ko",
    "ky_KG", "lo", "lt", "lv", "mk", "ml", "mr", "ms", "nb", "nl", "nl_BE", "pa", "pl", "prs_AF",
    "ps_AF", "pt_BR", "pt_PT", "ro", "ru", "rw_RW", "si_LK", "sk", "sl", "sq", "sr", "sv", "sw",
    "ta", "te", "th", "tr", "uk", "ur", "uz", "vi", "zh_CN", "zh_HK", "zh_TW", "zu",
];

/// Whether `code` is a WhatsApp template language.
pub fn is_template_locale(code: &str) -> bool {
    TEMPLATE_LOCALES.contains(&code)
}

/// A close known code for an unknown one (`en-us` → `en_US`), for the error message.
pub fn suggest(code: &str) -> Option<&'static str> {
    let wanted = code.replace('-', "_").to_ascii_lowercase();
    TEMPLATE_LOCALES
        .iter()
        .copied()
        .find(|c| c.to_ascii_lowercase() == wanted)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn no_duplicates_and_well_formed() {
        for (i, a) in TEMPLATE_LOCALES.iter().enumerate() {
            assert!(!TEMPLATE_LOCALES[i + 1..].contains(a), "{a} twice");
            let (lang, region) = a.split_once('_').unwrap_or((a, ""));
            assert!(
                lang.len() >= 2 && lang.bytes().all(|b| b.is_ascii_lowercase()),
                "{a}"
            );
            assert!(region.bytes().all(|b| b.is_ascii_uppercase()), "{a}");
        }
        assert_eq!(suggest("pt-br"), Some("pt_BR"));
        assert_eq!(suggest("xx"), None);
    }
}
