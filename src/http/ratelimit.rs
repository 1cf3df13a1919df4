//! Per-client-IP rate limits (CONTRACT §1), with `governor`, and the client IP itself
//! (`X-Forwarded-For` is believed only from `TRUSTED_PROXIES`).
//!
//! A client is its network, not its exact address: an IPv4 address, or an IPv6 address's first
//! `RATE_LIMIT_IPV6_PREFIX` bits (64 by default: one host or home is usually given a whole /64, so
//! counting each of its addresses apart would give it 2^64 quotas). The network is then hashed
//! (with a key drawn at start-up) into one of [`BUCKETS`] counters, so the limiters' memory has a
//! bound whatever the number of addresses seen: at most `BUCKETS` keys per limit, about 2 MiB each
//! with `governor`'s map (16 bytes of key and state per entry, at worst half of its table in use),
//! under a million distinct addresses a minute as under ten. Two networks that land in one bucket
//! share its quota; with 1,000 clients of one kind active in a minute, a given client shares with
//! another in about 1.5% of minutes, and that matters only when both come near the limit.
//!
//! `governor` is a GCRA limiter: a client gets its whole minute's quota at once and then earns it
//! back evenly over the minute, where Unleash's express-rate-limit resets a fixed window. Both
//! admit at most the quota in any one window of the limiter's own alignment; GCRA also has no
//! burst at a window boundary.

use std::net::IpAddr;
use std::num::NonZeroU32;
use std::time::Duration;

use governor::clock::{Clock as _, DefaultClock};
use governor::middleware::StateInformationMiddleware;
use governor::state::keyed::DefaultKeyedStateStore;
use governor::{Quota, RateLimiter};
use hyper::header::{HeaderName, HeaderValue};
use hyper::HeaderMap;
use ipnet::IpNet;

use crate::http::spec::RateLimitClass;

type Keyed =
    RateLimiter<u64, DefaultKeyedStateStore<u64>, DefaultClock, StateInformationMiddleware>;

/// How many counters each limit keeps at most (see the module's comment).
pub const BUCKETS: u64 = 1 << 16;

struct Limit {
    max: u32,
    limiter: Keyed,
}

/// What a counted request learns: its headers, and whether it may go on.
pub struct Decision {
    pub allowed: bool,
    pub retry_after_secs: u64,
    headers: Vec<(HeaderName, HeaderValue)>,
}

impl Decision {
    pub fn apply(&self, headers: &mut HeaderMap) {
        for (name, value) in &self.headers {
            headers.insert(name.clone(), value.clone());
        }
    }
}

pub struct RateLimits {
    login: Option<Limit>,
    reset_email: Option<Limit>,
    create_user: Option<Limit>,
    trusted_proxies: Vec<IpNet>,
    clock: DefaultClock,
    ipv6_prefix: u8,
    /// Keyed at start-up, so that nobody can pick addresses that share a bucket with another's.
    hasher: std::collections::hash_map::RandomState,
}

/// Per-minute maxima; 0 turns a limit off.
pub struct Limits {
    pub login: u32,
    pub reset_email: u32,
    pub create_user: u32,
    /// How many leading bits of an IPv6 address make one client (1 to 128).
    pub ipv6_prefix: u8,
}

fn limit(max: u32) -> Option<Limit> {
    NonZeroU32::new(max).map(|n| Limit {
        max,
        limiter: RateLimiter::keyed(Quota::per_minute(n))
            .with_middleware::<StateInformationMiddleware>(),
    })
}

fn header(name: &'static str, value: String) -> Option<(HeaderName, HeaderValue)> {
    HeaderValue::from_str(&value)
        .ok()
        .map(|v| (HeaderName::from_static(name), v))
}

impl RateLimits {
    pub fn new(limits: Limits, trusted_proxies: Vec<IpNet>) -> Self {
        RateLimits {
            login: limit(limits.login),
            reset_email: limit(limits.reset_email),
            create_user: limit(limits.create_user),
            trusted_proxies,
            clock: DefaultClock::default(),
            ipv6_prefix: limits.ipv6_prefix.clamp(1, 128),
            hasher: std::collections::hash_map::RandomState::new(),
        }
    }

    /// The counter a client address is counted in: its network, hashed into a bucket.
    fn bucket(&self, ip: IpAddr) -> u64 {
        use std::hash::BuildHasher as _;
        let network = match ip {
            IpAddr::V4(v4) => IpAddr::V4(v4),
            IpAddr::V6(v6) => match v6.to_ipv4_mapped() {
                Some(v4) => IpAddr::V4(v4),
                None => {
                    let bits = u128::from(v6);
                    let mask = u128::MAX << (128 - u32::from(self.ipv6_prefix));
                    IpAddr::V6((bits & mask).into())
                }
            },
        };
        self.hasher.hash_one(network) % BUCKETS
    }

    /// Counts one request of `class` from `ip`. `None` when that limit is off.
    pub fn check(&self, class: RateLimitClass, ip: IpAddr) -> Option<Decision> {
        let limit = match class {
            RateLimitClass::Login => self.login.as_ref(),
            RateLimitClass::ResetEmail => self.reset_email.as_ref(),
            RateLimitClass::CreateUser => self.create_user.as_ref(),
        }?;
        let (allowed, remaining, reset, retry_after) =
            match limit.limiter.check_key(&self.bucket(ip)) {
                Ok(snapshot) => {
                    let remaining = snapshot.remaining_burst_capacity();
                    let per_cell = snapshot.quota().replenish_interval();
                    let reset = per_cell * (limit.max.saturating_sub(remaining));
                    (true, remaining, reset, Duration::ZERO)
                }
                Err(not_until) => {
                    let wait = not_until.wait_time_from(self.clock.now());
                    (false, 0, wait, wait)
                }
            };
        let ceil_secs = |d: Duration| d.as_secs() + u64::from(d.subsec_nanos() > 0);
        let retry_after_secs = ceil_secs(retry_after).max(1);
        let mut headers: Vec<_> = [
            header("ratelimit-policy", format!("{};w=60", limit.max)),
            header("ratelimit-limit", limit.max.to_string()),
            header("ratelimit-remaining", remaining.to_string()),
            header("ratelimit-reset", ceil_secs(reset).to_string()),
        ]
        .into_iter()
        .flatten()
        .collect();
        if !allowed {
            headers.extend(header("retry-after", retry_after_secs.to_string()));
        }
        Some(Decision {
            allowed,
            retry_after_secs,
            headers,
        })
    }

    /// Forgets clients that have earned their whole quota back (keeps memory bounded).
    pub fn forget_idle(&self) {
        for limit in [&self.login, &self.reset_email, &self.create_user]
            .into_iter()
            .flatten()
        {
            limit.limiter.retain_recent();
            limit.limiter.shrink_to_fit();
        }
    }

    /// The client's address: the peer, unless the peer is a trusted proxy, in which case the
    /// right-most `X-Forwarded-For` entry that is not itself a trusted proxy.
    pub fn client_ip(&self, peer: IpAddr, headers: &HeaderMap) -> IpAddr {
        let trusted = |ip: &IpAddr| self.trusted_proxies.iter().any(|net| net.contains(ip));
        if !trusted(&peer) {
            return peer;
        }
        let forwarded: Vec<IpAddr> = headers
            .get_all(HeaderName::from_static("x-forwarded-for"))
            .iter()
            .filter_map(|v| v.to_str().ok())
            .flat_map(|v| v.split(','))
            .filter_map(|s| s.trim().parse().ok())
            .collect();
        forwarded
            .into_iter()
            .rev()
            .find(|ip| !trusted(ip))
            .unwrap_or(peer)
    }
}

/// Parses `TRUSTED_PROXIES` entries: CIDRs or single addresses.
pub fn parse_proxies(entries: &[String]) -> anyhow::Result<Vec<IpNet>> {
    entries
        .iter()
        .map(|e| e.trim())
        .filter(|e| !e.is_empty())
        .map(|e| {
            e.parse::<IpNet>()
                .or_else(|_| e.parse::<IpAddr>().map(IpNet::from))
                .map_err(|_| anyhow::anyhow!("TRUSTED_PROXIES: {e:?} is not an address or CIDR"))
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn limits(trusted: &[&str]) -> RateLimits {
        RateLimits::new(
            Limits {
                login: 3,
                reset_email: 1,
                create_user: 0,
                ipv6_prefix: 64,
            },
            parse_proxies(&trusted.iter().map(|s| s.to_string()).collect::<Vec<_>>()).unwrap(),
        )
    }

    #[test]
    fn counts_per_ip_and_reports_remaining() {
        let rl = limits(&[]);
        let a: IpAddr = "10.0.0.1".parse().unwrap();
        let b: IpAddr = "10.0.0.2".parse().unwrap();
        let remaining: Vec<_> = (0..4)
            .map(|_| rl.check(RateLimitClass::Login, a).unwrap())
            .map(|d| {
                (
                    d.allowed,
                    d.headers
                        .iter()
                        .find(|(n, _)| n == "ratelimit-remaining")
                        .unwrap()
                        .1
                        .clone(),
                )
            })
            .collect();
        assert_eq!(remaining[0], (true, HeaderValue::from_static("2")));
        assert_eq!(remaining[2], (true, HeaderValue::from_static("0")));
        assert!(!remaining[3].0);
        assert!(
            rl.check(RateLimitClass::Login, b).unwrap().allowed,
            "another IP has its own quota"
        );
        assert!(
            rl.check(RateLimitClass::CreateUser, a).is_none(),
            "0 turns a limit off"
        );
    }

    #[test]
    fn an_ipv6_network_is_one_client() {
        let rl = limits(&[]);
        let same_64 = |i: u16| -> IpAddr { format!("2001:db8:1:2::{i:x}").parse().unwrap() };
        for i in 0..3 {
            assert!(rl.check(RateLimitClass::Login, same_64(i)).unwrap().allowed);
        }
        assert!(
            !rl.check(RateLimitClass::Login, same_64(99))
                .unwrap()
                .allowed,
            "a fourth address of the same /64 shares the quota"
        );
        let other: IpAddr = "2001:db8:1:3::1".parse().unwrap();
        assert!(rl.check(RateLimitClass::Login, other).unwrap().allowed);
    }

    #[test]
    fn memory_is_bounded_whatever_the_number_of_addresses() {
        let rl = limits(&[]);
        for i in 0..300_000u32 {
            let ip = IpAddr::V4(std::net::Ipv4Addr::from(i.wrapping_mul(2_654_435_761)));
            rl.check(RateLimitClass::Login, ip);
        }
        let login = rl.login.as_ref().unwrap();
        assert!(
            login.limiter.len() as u64 <= BUCKETS,
            "{}",
            login.limiter.len()
        );
        assert!(login.limiter.len() > 1000);
    }

    #[test]
    fn forwarded_for_is_believed_only_from_trusted_proxies() {
        let rl = limits(&["10.0.0.0/8"]);
        let mut headers = HeaderMap::new();
        headers.insert("x-forwarded-for", "203.0.113.7, 10.1.1.1".parse().unwrap());
        assert_eq!(
            rl.client_ip("10.0.0.5".parse().unwrap(), &headers),
            "203.0.113.7".parse::<IpAddr>().unwrap()
        );
        assert_eq!(
            rl.client_ip("198.51.100.9".parse().unwrap(), &headers),
            "198.51.100.9".parse::<IpAddr>().unwrap(),
            "an untrusted peer's header is ignored"
        );
        assert!(parse_proxies(&["nonsense".into()]).is_err());
    }
}
