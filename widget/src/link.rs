//! Deep links: each widget keeps its search and its open offer in one parameter of the host
//! page's URL, `oe-<element id>` (or `oe` for an element without id), so that back and forward
//! work and a shared link reopens the same search and offer. The host's own parameters, path and
//! fragment are left as they are.

use wasm_bindgen::JsValue;

use crate::params::{Param, Recherche, query};

/// The open offer's key.
const OFFER: &str = "offre";

/// The state a link carries: every setting, the page when past the first (the widget then shows
/// pages 1 to that one, as "Afficher plus" did), and the open offer.
pub fn encode_state(p: &Recherche, offre: Option<&str>) -> String {
    let offer = offre.map(|id| (OFFER, id.to_owned()));
    query(p.pairs().into_iter().filter(|(k, v)| *k != "page" || v != "1").chain(offer))
}

/// The search and open offer of a link, over the widget's own settings (`base`): keywords and
/// filters come from the link alone; the territory, sort and page size from the link when it
/// names them.
pub fn decode_state(value: &str, base: &Recherche) -> (Recherche, Option<String>) {
    let mut p = Recherche { q: String::new(), page: 1, ..base.without_filters() };
    let mut offre = None;
    for pair in value.split('&').filter(|s| !s.is_empty()) {
        let (key, raw) = pair.split_once('=').unwrap_or((pair, ""));
        let value = decode(raw);
        if key == OFFER {
            offre = (!value.is_empty()).then_some(value);
            continue;
        }
        // A territory in the link replaces the element's, a radius alone changes the radius
        // around its commune (the lenient reader's rule).
        let Some(param) = Param::from_name(key) else { continue };
        p.set(param, &value);
    }
    (p, offre)
}

/// Percent-decoding (`+` is a space, as in forms); invalid escapes are kept as they are.
fn decode(text: &str) -> String {
    let bytes = text.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        let hex = |b: u8| char::from(b).to_digit(16);
        if bytes[i] == b'%'
            && let (Some(h), Some(l)) =
                (bytes.get(i + 1).copied().and_then(hex), bytes.get(i + 2).copied().and_then(hex))
        {
            out.push((h * 16 + l) as u8);
            i += 3;
            continue;
        }
        out.push(if bytes[i] == b'+' { b' ' } else { bytes[i] });
        i += 1;
    }
    String::from_utf8_lossy(&out).into_owned()
}

/// The URL parameter of one widget.
#[derive(Debug, Clone, PartialEq)]
pub struct DeepLink {
    name: String,
    /// The state the element's own attributes give, which the URL leaves out.
    default: String,
}

impl DeepLink {
    /// The parameter of the element with this id (empty for none).
    pub fn new(element_id: &str) -> Self {
        let name = if element_id.is_empty() { "oe".to_owned() } else { format!("oe-{element_id}") };
        Self { name, default: String::new() }
    }

    /// The element's own settings (encoded with [`encode_state`]): a URL without the parameter
    /// means them, so they are never written.
    pub fn with_default(self, default: String) -> Self {
        Self { default, ..self }
    }

    fn url() -> Option<web_sys::Url> {
        let href = web_sys::window()?.location().href().ok()?;
        web_sys::Url::new(&href).ok()
    }

    /// The parameter's value in the page URL.
    pub fn read(&self) -> Option<String> {
        Self::url()?.search_params().get(&self.name)
    }

    /// Writes `value` in the page URL when it changed: as a new history entry, or in place of
    /// the current one with `replace` (more pages of the same search).
    pub fn write(&self, value: &str, replace: bool) {
        let Some(url) = Self::url() else { return };
        let params = url.search_params();
        let value = if value == self.default { "" } else { value };
        if params.get(&self.name).as_deref().unwrap_or("") == value {
            return;
        }
        if value.is_empty() {
            params.delete(&self.name);
        } else {
            params.set(&self.name, value);
        }
        url.set_search(&params.to_string().as_string().unwrap_or_default());
        if let Some(history) = web_sys::window().and_then(|w| w.history().ok()) {
            let href = url.href();
            let _ = if replace {
                history.replace_state_with_url(&JsValue::NULL, "", Some(&href))
            } else {
                history.push_state_with_url(&JsValue::NULL, "", Some(&href))
            };
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    #[allow(unused_imports, reason = "the fixtures name what they need")]
    use crate::params::{Tri, TypeContrat, Zone};

    fn base() -> Recherche {
        Recherche {
            zone: Zone::Commune { code: "35238".into(), rayon: 10 },
            q: "boulanger".into(),
            types_contrat: vec![TypeContrat::Cdi],
            tri: Tri::Date,
            page: 1,
            par_page: 20,
            ..Recherche::default()
        }
    }

    #[test]
    fn a_link_round_trips_the_search_and_the_offer() {
        let p = Recherche {
            zone: Zone::Commune { code: "35238".into(), rayon: 30 },
            q: "aide à domicile".into(),
            temps_plein: Some(false),
            page: 3,
            ..base()
        };
        let value = encode_state(&p, Some("123ABCD"));
        assert_eq!(
            value,
            "q=aide%20%C3%A0%20domicile&commune=35238&rayon=30&types_contrat=CDI&temps_plein=false&tri=date&page=3&par_page=20&offre=123ABCD"
        );
        let (back, offre) = decode_state(&value, &base());
        assert_eq!(back, p);
        assert!(!back.same_search(&base()));
        assert!(back.same_search(&Recherche { page: 1, ..p.clone() }));
        // The first page is the default: not written.
        assert!(!encode_state(&Recherche { page: 1, ..p }, None).contains("&page="));
        assert_eq!(offre.as_deref(), Some("123ABCD"));
    }

    #[test]
    fn keywords_and_filters_come_from_the_link_the_rest_from_the_element() {
        let (p, offre) = decode_state("epci=243500139", &base());
        assert_eq!(p.zone, Zone::Epci { code: "243500139".into() });
        assert_eq!((p.q.as_str(), p.types_contrat.len(), p.tri), ("", 0, Tri::Date));
        assert_eq!(offre, None);
        let (p, _) = decode_state("q=a+b%2", &base());
        assert_eq!((p.q.as_str(), p.zone.commune()), ("a b%2", Some("35238")));
        // A radius alone changes the radius around the element's commune.
        let (p, _) = decode_state("rayon=50", &base());
        assert_eq!(p.zone, Zone::Commune { code: "35238".into(), rayon: 50 });
    }

    #[test]
    fn each_element_has_its_own_parameter() {
        assert_eq!(DeepLink::new("emploi").name, "oe-emploi");
        assert_eq!(DeepLink::new("").name, "oe");
    }
}
