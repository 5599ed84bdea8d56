//! The caller's address behind trusted reverse proxies, for the per-address rate limits.
//!
//! `X-Forwarded-For` is believed only as far as it was written by proxies the operator named:
//! reading from the right, each trusted hop vouches for the address to its left, and the first
//! address that is not a trusted proxy is the client. Anything a client writes itself sits further
//! left and is never reached.

use std::net::IpAddr;

use axum::http::HeaderMap;
use ipnet::IpNet;
use serde::Deserialize;

/// The networks whose `X-Forwarded-For` entries are believed (empty: none, the peer is the client).
#[derive(Clone, Debug, Default, Deserialize)]
#[serde(try_from = "String")]
pub struct TrustedProxies(Vec<IpNet>);

impl TryFrom<String> for TrustedProxies {
    type Error = String;

    fn try_from(list: String) -> Result<Self, String> {
        Self::parse(&list)
    }
}

impl TrustedProxies {
    /// Parses a comma-separated list of addresses and networks (`10.0.0.0/8, 127.0.0.1, ::1`).
    pub fn parse(list: &str) -> Result<Self, String> {
        let mut nets = Vec::new();
        for item in list.split(',').map(str::trim).filter(|s| !s.is_empty()) {
            let net = item
                .parse::<IpNet>()
                .or_else(|_| item.parse::<IpAddr>().map(IpNet::from))
                .map_err(|_| format!("`{item}` is not an IP address or network (like 10.0.0.0/8)"))?;
            nets.push(net);
        }
        Ok(Self(nets))
    }

    fn trusts(&self, ip: IpAddr) -> bool {
        let ip = canonical(ip);
        self.0.iter().any(|net| net.contains(&ip))
    }

    /// The client's address: the peer itself unless it is a trusted proxy, else the right-most
    /// `X-Forwarded-For` entry that is not one (or the left-most, when every hop is trusted).
    pub fn client_ip(&self, peer: IpAddr, headers: &HeaderMap) -> IpAddr {
        if !self.trusts(peer) {
            return canonical(peer);
        }
        let hops: Vec<&str> = headers
            .get_all("x-forwarded-for")
            .iter()
            .filter_map(|v| v.to_str().ok())
            .flat_map(|v| v.split(','))
            .map(str::trim)
            .collect();
        let mut client = canonical(peer);
        for hop in hops.iter().rev() {
            // A hop the trusted proxy could not vouch for as an address: stop at the proxy.
            let Some(ip) = parse_hop(hop) else { break };
            client = ip;
            if !self.trusts(ip) {
                break;
            }
        }
        client
    }
}

/// An `X-Forwarded-For` entry: an address, possibly with a port (`203.0.113.7:4711`, `[2001:db8::1]:80`).
fn parse_hop(hop: &str) -> Option<IpAddr> {
    if let Ok(ip) = hop.parse::<IpAddr>() {
        return Some(canonical(ip));
    }
    hop.parse::<std::net::SocketAddr>().ok().map(|addr| canonical(addr.ip()))
}

/// IPv4 addresses seen through an IPv6 socket (`::ffff:a.b.c.d`) count as the IPv4 address.
fn canonical(ip: IpAddr) -> IpAddr {
    match ip {
        IpAddr::V6(v6) => v6.to_ipv4_mapped().map_or(ip, IpAddr::V4),
        IpAddr::V4(_) => ip,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use axum::http::HeaderValue;

    fn headers(values: &[&str]) -> HeaderMap {
        let mut headers = HeaderMap::new();
        for v in values {
            headers.append("x-forwarded-for", HeaderValue::from_str(v).unwrap());
        }
        headers
    }

    fn ip(s: &str) -> IpAddr {
        s.parse().unwrap()
    }

    #[test]
    fn without_trusted_proxies_the_peer_is_the_client_whatever_the_header_says() {
        let none = TrustedProxies::default();
        assert_eq!(none.client_ip(ip("10.0.0.5"), &headers(&["203.0.113.7"])), ip("10.0.0.5"));
    }

    #[test]
    fn a_trusted_proxy_vouches_for_the_address_it_appended() {
        let proxies = TrustedProxies::parse("10.0.0.0/8").unwrap();
        assert_eq!(proxies.client_ip(ip("10.0.0.5"), &headers(&["203.0.113.7"])), ip("203.0.113.7"));
    }

    #[test]
    fn addresses_a_client_wrote_itself_are_never_reached() {
        let proxies = TrustedProxies::parse("10.0.0.0/8, 192.168.1.1").unwrap();
        let forged = headers(&["198.51.100.1, 203.0.113.7", "192.168.1.1"]);
        assert_eq!(proxies.client_ip(ip("10.0.0.5"), &forged), ip("203.0.113.7"));
    }

    #[test]
    fn an_untrusted_peer_is_the_client_even_with_a_header() {
        let proxies = TrustedProxies::parse("10.0.0.0/8").unwrap();
        assert_eq!(proxies.client_ip(ip("203.0.113.9"), &headers(&["198.51.100.1"])), ip("203.0.113.9"));
    }

    #[test]
    fn garbage_stops_at_the_last_trusted_hop_and_a_missing_header_leaves_the_proxy() {
        let proxies = TrustedProxies::parse("10.0.0.0/8").unwrap();
        assert_eq!(proxies.client_ip(ip("10.0.0.5"), &headers(&["203.0.113.7, unknown"])), ip("10.0.0.5"));
        assert_eq!(proxies.client_ip(ip("10.0.0.5"), &headers(&["unknown, 10.0.0.9"])), ip("10.0.0.9"));
        assert_eq!(proxies.client_ip(ip("10.0.0.5"), &HeaderMap::new()), ip("10.0.0.5"));
    }

    #[test]
    fn ports_and_mapped_addresses_are_understood() {
        let proxies = TrustedProxies::parse("127.0.0.1").unwrap();
        let peer = ip("::ffff:127.0.0.1");
        assert_eq!(proxies.client_ip(peer, &headers(&["203.0.113.7:4711"])), ip("203.0.113.7"));
        assert_eq!(proxies.client_ip(peer, &headers(&["[2001:db8::1]:80"])), ip("2001:db8::1"));
    }

    #[test]
    fn bad_entries_are_refused_with_the_entry_named() {
        let error = TrustedProxies::parse("10.0.0.0/8, proxy.example").unwrap_err();
        assert!(error.contains("proxy.example"), "{error}");
        assert!(TrustedProxies::parse("10.0.0.0/33").is_err());
        assert!(TrustedProxies::parse("").unwrap().0.is_empty());
    }
}
