//! The two languages the product speaks, and the language of the request being served.
//!
//! The language is held in a task-local for the duration of a request (set by
//! [`crate::http::lang::with_request_lang`]), so an error built deep in a service renders in the
//! caller's language without threading it through every signature.

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Lang {
    ZhCn,
    En,
}

tokio::task_local! {
    static REQUEST_LANG: Lang;
}

/// The language of the request being served (zh-CN outside a request).
pub fn current_lang() -> Lang {
    REQUEST_LANG.try_with(|lang| *lang).unwrap_or(Lang::ZhCn)
}

/// Runs `future` with `lang` as the request language.
pub async fn scope<F: std::future::Future>(lang: Lang, future: F) -> F::Output {
    REQUEST_LANG.scope(lang, future).await
}

/// Picks the first supported language in an `Accept-Language` header, honouring q-values.
pub fn negotiate(header: Option<&str>) -> Lang {
    let Some(header) = header else { return Lang::ZhCn };
    let mut best: Option<(f32, Lang)> = None;
    for part in header.split(',') {
        let mut pieces = part.trim().split(';');
        let tag = pieces.next().unwrap_or("").trim().to_ascii_lowercase();
        let q = pieces.find_map(|p| p.trim().strip_prefix("q=").and_then(|q| q.parse::<f32>().ok())).unwrap_or(1.0);
        let lang = if tag.starts_with("zh") {
            Lang::ZhCn
        } else if tag.starts_with("en") {
            Lang::En
        } else {
            continue;
        };
        if best.is_none_or(|(best_q, _)| q > best_q) {
            best = Some((q, lang));
        }
    }
    best.map_or(Lang::ZhCn, |(_, lang)| lang)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn chinese_is_the_default() {
        assert_eq!(negotiate(None), Lang::ZhCn);
        assert_eq!(negotiate(Some("fr-FR")), Lang::ZhCn);
    }

    #[test]
    fn english_is_picked_when_preferred() {
        assert_eq!(negotiate(Some("en-US,en;q=0.9")), Lang::En);
        assert_eq!(negotiate(Some("zh-CN;q=0.5, en;q=0.8")), Lang::En);
        assert_eq!(negotiate(Some("zh-TW, en;q=0.8")), Lang::ZhCn);
    }
}
