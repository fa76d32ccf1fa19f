//! The address a request comes from, for rate limits and lockout. It is the TCP peer, unless the
//! peer is a proxy listed in `PARTNERDESK_TRUSTED_PROXIES`: then it is the right-most address in
//! `X-Forwarded-For` that is not itself a trusted proxy. Anyone can send that header, so it is
//! read only from proxies the operator named.

use std::future::{ready, Ready};
use std::net::IpAddr;

use actix_web::{dev::Payload, http::header::HeaderName, web, FromRequest, HttpRequest};

use crate::error::AppError;
use crate::state::AppState;

const X_FORWARDED_FOR: HeaderName = HeaderName::from_static("x-forwarded-for");

/// The client's address as text (the key of its counters).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ClientAddress(pub String);

/// The client behind `peer`: `forwarded_for` (every `X-Forwarded-For` value, in order) is read
/// from the right while the hop that added it is trusted. An entry that is not an address stops
/// the walk at the last hop known to be a proxy.
pub fn client_address(peer: IpAddr, forwarded_for: &[&str], trusted: &[IpAddr]) -> IpAddr {
    let mut client = peer;
    let hops = forwarded_for.iter().flat_map(|v| v.split(',')).rev();
    for hop in hops {
        if !trusted.contains(&client) {
            break;
        }
        match hop.trim().parse::<IpAddr>() {
            Ok(address) => client = address,
            Err(_) => break,
        }
    }
    client
}

impl FromRequest for ClientAddress {
    type Error = AppError;
    type Future = Ready<Result<Self, AppError>>;

    fn from_request(req: &HttpRequest, _: &mut Payload) -> Self::Future {
        let Some(peer) = req.peer_addr().map(|a| a.ip()) else {
            return ready(Ok(ClientAddress("unknown".into())));
        };
        let trusted = req
            .app_data::<web::Data<AppState>>()
            .map(|s| s.settings.trusted_proxies.as_slice())
            .unwrap_or_default();
        let forwarded: Vec<&str> = req
            .headers()
            .get_all(X_FORWARDED_FOR)
            .filter_map(|v| v.to_str().ok())
            .collect();
        ready(Ok(ClientAddress(client_address(peer, &forwarded, trusted).to_string())))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn ip(s: &str) -> IpAddr {
        s.parse().unwrap()
    }

    #[test]
    fn the_peer_is_the_client_unless_it_is_a_trusted_proxy() {
        assert_eq!(
            client_address(ip("203.0.113.7"), &["198.51.100.1"], &[]),
            ip("203.0.113.7")
        );
        let proxy = [ip("10.0.0.1")];
        assert_eq!(
            client_address(ip("203.0.113.7"), &["198.51.100.1"], &proxy),
            ip("203.0.113.7")
        );
        assert_eq!(
            client_address(ip("10.0.0.1"), &["198.51.100.1"], &proxy),
            ip("198.51.100.1")
        );
    }

    #[test]
    fn the_right_most_untrusted_address_wins_over_what_the_client_wrote() {
        let proxies = [ip("10.0.0.1"), ip("10.0.0.2")];
        let forwarded = ["1.2.3.4, 198.51.100.1", "10.0.0.2"];
        assert_eq!(client_address(ip("10.0.0.1"), &forwarded, &proxies), ip("198.51.100.1"));
        assert_eq!(
            client_address(ip("10.0.0.1"), &["junk, 10.0.0.2"], &proxies),
            ip("10.0.0.2")
        );
        assert_eq!(client_address(ip("10.0.0.1"), &[], &proxies), ip("10.0.0.1"));
        assert_eq!(
            client_address(ip("::1"), &["2001:db8::5"], &[ip("::1")]),
            ip("2001:db8::5")
        );
    }
}
