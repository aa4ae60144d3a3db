//! Pages: the first offer of a page, the pages a server-rendered view shows, and the requests
//! that fetch pages 1 to n.

use super::*;

impl Recherche {
    /// Index of the first offer of the page.
    pub fn start(&self) -> u32 {
        self.page.max(1).saturating_sub(1).saturating_mul(self.par_page)
    }

    /// Whether any filter ([`Param::FILTRES`]) is set.
    pub fn has_filters(&self) -> bool {
        Param::FILTRES.into_iter().any(|p| self.value(p).is_some())
    }

    /// The same search without any filter.
    pub fn without_filters(&self) -> Self {
        let mut p = self.clone();
        for f in Param::FILTRES {
            p.set(f, "");
        }
        p
    }

    /// Whether `other` is the same search, whatever the pages of the two.
    pub fn same_search(&self, other: &Recherche) -> bool {
        Recherche { page: other.page, ..self.clone() } == *other
    }

    /// This search with its page brought within [`MAX_RENDERED`] offers, for a view rendered on
    /// the server.
    pub fn rendered(&self) -> Recherche {
        let size = self.par_page.clamp(1, MAX_PAR_PAGE);
        let last = (MAX_RENDERED / size).max(1);
        Recherche { page: self.page.clamp(1, last), ..self.clone() }
    }

    /// The requests that fetch pages 1 to `page` in order, in as few as possible: requests of up
    /// to 50 offers made of whole pages of this size, then the pages left, together when they
    /// line up (with 20 offers a page, page 5 is two requests of 40 and page 5 itself; with 10,
    /// page 4 is one request of 40). Pages past France Travail's last reachable offer are left
    /// out.
    pub fn pages_up_to(&self) -> Vec<Recherche> {
        let size = self.par_page.clamp(1, MAX_PAR_PAGE);
        let last = self.page.clamp(1, DERNIER_DEBUT / size + 1);
        let per_request = MAX_PAR_PAGE / size;
        let whole = last / per_request;
        let done = whole * per_request;
        let rest = last - done;
        let request = |page, par_page| Recherche { page, par_page, ..self.clone() };
        let mut requests: Vec<_> =
            (1..=whole).map(|page| request(page, size * per_request)).collect();
        if rest > 0 && done.is_multiple_of(rest) {
            requests.push(request(done / rest + 1, size * rest));
        } else {
            requests.extend((done + 1..=last).map(|page| request(page, size)));
        }
        requests
    }
}
