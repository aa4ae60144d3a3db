//! Content negotiation: the weighted lists of `Accept-Encoding` and `Accept-Language`
//! (RFC 9110, section 12.4.2), read once here for every header that carries one.

/// The items of a weighted list (`gzip, br;q=0.5`), each with its weight: the `q` parameter
/// (any case, spaces allowed around `=`), or 1 when it is absent or unreadable.
pub(crate) fn weighted(value: &str) -> impl Iterator<Item = (&str, f32)> {
    value.split(',').map(|item| {
        let mut parts = item.split(';');
        let token = parts.next().unwrap_or("").trim();
        let q = parts
            .find_map(|p| {
                let (name, q) = p.split_once('=')?;
                name.trim().eq_ignore_ascii_case("q").then(|| q.trim().parse::<f32>().ok())?
            })
            .unwrap_or(1.0);
        (token, q)
    })
}

#[cfg(test)]
mod tests {
    use super::weighted;

    #[test]
    fn weights_are_read_from_the_q_parameter_or_default_to_one() {
        let items: Vec<_> = weighted("gzip, br;q=0.5 , x;Q = 0.000,y;q=abc, *;level=1").collect();
        assert_eq!(items, [("gzip", 1.0), ("br", 0.5), ("x", 0.0), ("y", 1.0), ("*", 1.0)]);
    }
}
