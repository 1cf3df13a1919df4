//! Who is calling: the `unleash-session` cookie or an admin API token in `Authorization`
//! (raw `*:*.secret` or `Bearer *:*.secret`), resolved the way Unleash does it (CONTRACT §1).
//! The session cookie's format (plain, or signed as Unleash signs it) is decided here and nowhere
//! else: the domain only ever sees a session's [`SecretKey`].

use std::sync::Arc;

use base64::engine::general_purpose::STANDARD_NO_PAD;
use base64::Engine;
use hmac::{Hmac, Mac};
use hyper::header::{AUTHORIZATION, COOKIE};
use hyper::HeaderMap;
use percent_encoding::{percent_decode_str, utf8_percent_encode, AsciiSet, NON_ALPHANUMERIC};
use sha2::Sha256;
use subtle::ConstantTimeEq;

use crate::base::types::Secret;
use crate::domain::accounts::Accounts;
use crate::domain::caller::{Caller, Credential, CONFIGURED_ADMIN_TOKEN_NAME};
use crate::http::errors::AppError;
use crate::store::{Millis, SecretKey};

pub const SESSION_COOKIE: &str = "unleash-session";

/// How the session cookie carries a session id.
#[derive(Clone)]
pub enum CookieFormat {
    /// The id as it is (Unlatch alone).
    Plain,
    /// Signed with this secret as Unleash's express-session signs it (beside Unleash, with
    /// `UNLEASH_SECRET`): `s:<id>.<HMAC-SHA256(secret, id), base64 without padding>`, URL-encoded.
    Signed(Arc<str>),
}

impl std::fmt::Debug for CookieFormat {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(match self {
            CookieFormat::Plain => "Plain",
            CookieFormat::Signed(_) => "Signed(..)",
        })
    }
}

/// What JavaScript's `encodeURIComponent` leaves as it is (express-session encodes its cookie so).
const URI_COMPONENT: &AsciiSet = &NON_ALPHANUMERIC
    .remove(b'-')
    .remove(b'_')
    .remove(b'.')
    .remove(b'!')
    .remove(b'~')
    .remove(b'*')
    .remove(b'\'')
    .remove(b'(')
    .remove(b')');

/// The session cookie: its format and attributes, written and read only here.
#[derive(Debug, Clone)]
pub struct SessionCookies {
    pub format: CookieFormat,
    /// `Secure` (the public URL is https).
    pub secure: bool,
}

impl SessionCookies {
    fn signature(secret: &str, id: &str) -> Option<String> {
        let mut mac = Hmac::<Sha256>::new_from_slice(secret.as_bytes()).ok()?;
        mac.update(id.as_bytes());
        Some(STANDARD_NO_PAD.encode(mac.finalize().into_bytes()))
    }

    /// The cookie's value for a session id.
    fn value(&self, id: &str) -> String {
        match &self.format {
            CookieFormat::Plain => id.to_string(),
            CookieFormat::Signed(secret) => {
                let signature = Self::signature(secret, id).unwrap_or_default();
                utf8_percent_encode(&format!("s:{id}.{signature}"), URI_COMPONENT).to_string()
            }
        }
    }

    /// The session key behind a cookie's value; `None` for a value that is not one of ours (or
    /// Unleash's, when signed: a bad signature is no session at all).
    pub fn key(&self, value: &str) -> Option<SecretKey> {
        match &self.format {
            CookieFormat::Plain => Some(SecretKey::of(value)),
            CookieFormat::Signed(secret) => {
                let decoded = percent_decode_str(value).decode_utf8().ok()?;
                let signed = decoded.strip_prefix("s:")?;
                let (id, signature) = signed.rsplit_once('.')?;
                let expected = Self::signature(secret, id)?;
                bool::from(expected.as_bytes().ct_eq(signature.as_bytes()))
                    .then(|| SecretKey::of(id))
            }
        }
    }

    /// `Set-Cookie` for a new session that ends at `expires_ms`.
    pub fn set(&self, id: &str, expires_ms: Millis) -> String {
        self.header(&self.value(id), expires_ms)
    }

    /// `Set-Cookie` that removes the cookie.
    pub fn cleared(&self) -> String {
        self.header("", 0)
    }

    fn header(&self, value: &str, expires_ms: Millis) -> String {
        let expires = cookie::time::OffsetDateTime::from_unix_timestamp_nanos(
            i128::from(expires_ms) * 1_000_000,
        )
        .unwrap_or(cookie::time::OffsetDateTime::UNIX_EPOCH);
        cookie::Cookie::build((SESSION_COOKIE, value))
            .path("/")
            .expires(expires)
            .http_only(true)
            .same_site(cookie::SameSite::Lax)
            .secure(self.secure)
            .build()
            .to_string()
    }

    /// The session key of the request's cookie, if it carries one that reads.
    pub fn from_headers(&self, headers: &HeaderMap) -> Option<SecretKey> {
        session_cookie(headers).and_then(|value| self.key(&value))
    }
}

/// Whether the request carries a non-empty `unleash-session` cookie, whether or not it reads as a
/// session (the front's cross-site check refuses on its presence, before any look-up).
pub fn carries_session_cookie(headers: &HeaderMap) -> bool {
    session_cookie(headers).is_some()
}

pub struct Authenticator {
    admin_tokens: Vec<Vec<u8>>,
    accounts: Arc<Accounts>,
    cookies: SessionCookies,
}

impl Authenticator {
    /// `admin_tokens`: the `INIT_ADMIN_API_TOKENS` list (each raw or `Bearer `-prefixed).
    pub fn new(admin_tokens: &[Secret], accounts: Arc<Accounts>, cookies: SessionCookies) -> Self {
        let admin_tokens = admin_tokens
            .iter()
            .map(|t| strip_bearer(t.expose().trim()).as_bytes().to_vec())
            .filter(|t| !t.is_empty())
            .collect();
        Authenticator {
            admin_tokens,
            accounts,
            cookies,
        }
    }

    /// The caller, if any credentials are valid; otherwise the 401 that fits: UnauthorizedError
    /// when an Authorization header was sent, AuthenticationRequired when nothing was.
    pub async fn require(&self, headers: &HeaderMap) -> Result<Caller, AppError> {
        let header = headers.get(AUTHORIZATION);
        if let Some(value) = header {
            if self.is_admin_token(value.as_bytes()) {
                return Ok(Caller::AdminToken {
                    name: CONFIGURED_ADMIN_TOKEN_NAME.to_string(),
                });
            }
            if let Some(caller) = self.stored_credential(value.as_bytes()).await? {
                return Ok(caller);
            }
        }
        if let Some(key) = self.cookies.from_headers(headers) {
            let user = self.accounts.session_user(key.clone()).await?;
            if let Some(user) = user {
                return Ok(Caller::User { user, session: key });
            }
        }
        Err(if header.is_some() {
            AppError::Unauthorized
        } else {
            AppError::AuthenticationRequired
        })
    }

    pub fn cookies(&self) -> &SessionCookies {
        &self.cookies
    }

    /// A credential the store keeps (beside Unleash: its admin API tokens and personal access
    /// tokens); none on Unlatch's own backends.
    async fn stored_credential(&self, presented: &[u8]) -> Result<Option<Caller>, AppError> {
        let Ok(text) = std::str::from_utf8(presented) else {
            return Ok(None);
        };
        let secret = strip_bearer(text.trim());
        if secret.is_empty() {
            return Ok(None);
        }
        Ok(
            match self.accounts.credential(SecretKey::of(secret)).await? {
                Some(Credential::AdminToken { name }) => Some(Caller::AdminToken { name }),
                Some(Credential::User(user)) => Some(Caller::UserToken { user }),
                None => None,
            },
        )
    }

    fn is_admin_token(&self, presented: &[u8]) -> bool {
        let presented = std::str::from_utf8(presented)
            .map(|s| strip_bearer(s.trim()).as_bytes())
            .unwrap_or(presented);
        // Every configured token is compared, in constant time, so timing tells nothing.
        self.admin_tokens.iter().fold(false, |found, token| {
            found | bool::from(token.as_slice().ct_eq(presented))
        })
    }
}

fn strip_bearer(value: &str) -> &str {
    match value.get(..7) {
        Some(prefix) if prefix.eq_ignore_ascii_case("bearer ") => value[7..].trim_start(),
        _ => value,
    }
}

/// The value of the `unleash-session` cookie, if the request carries one.
fn session_cookie(headers: &HeaderMap) -> Option<String> {
    cookie_value(headers, SESSION_COOKIE)
}

/// The value of the cookie `name`, if the request carries a non-empty one.
fn cookie_value(headers: &HeaderMap, name: &str) -> Option<String> {
    headers
        .get_all(COOKIE)
        .iter()
        .filter_map(|v| v.to_str().ok())
        .flat_map(cookie::Cookie::split_parse)
        .filter_map(Result::ok)
        .find(|c| c.name() == name && !c.value().is_empty())
        .map(|c| c.value().to_string())
}

/// The cookie that carries a device's proof (`devices`): set at each successful log-in, read at
/// the next. HttpOnly, sent only to this site (`SameSite=Strict`), `Secure` as the session cookie.
pub const DEVICE_COOKIE: &str = "unlatch-device";

impl SessionCookies {
    /// `Set-Cookie` for a device's proof, kept as long as the proof is honoured.
    pub fn device(&self, proof: &Secret) -> String {
        cookie::Cookie::build((DEVICE_COOKIE, proof.expose()))
            .path("/")
            .max_age(cookie::time::Duration::milliseconds(
                crate::domain::devices::PROOF_TTL_MS,
            ))
            .http_only(true)
            .same_site(cookie::SameSite::Strict)
            .secure(self.secure)
            .build()
            .to_string()
    }

    /// The device proof the request carries, if any (whether it checks out is the domain's to say).
    pub fn device_from_headers(&self, headers: &HeaderMap) -> Option<Secret> {
        cookie_value(headers, DEVICE_COOKIE).map(Secret::new)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn signed(secret: &str) -> SessionCookies {
        SessionCookies {
            format: CookieFormat::Signed(Arc::from(secret)),
            secure: false,
        }
    }

    #[test]
    fn a_cookie_signed_by_unleash_reads_as_its_session() {
        // The Set-Cookie of a real Unleash 8.2.0 log-in with its default secret
        // (UNLEASH-DATABASE.md §2.2): the same id must give the same value, and read back.
        let cookies = signed("super-secret");
        let id = "zoiplg8QQ4uOeXUZL5m_D6UYzuJTSk6j";
        let set = cookies.set(id, 0);
        let value = set
            .strip_prefix("unleash-session=")
            .and_then(|v| v.split(';').next())
            .unwrap();
        assert!(
            value.starts_with("s%3Azoiplg8QQ4uOeXUZL5m_D6UYzuJTSk6j."),
            "{value}"
        );
        assert_eq!(cookies.key(value), Some(SecretKey::of(id)));
        assert_eq!(
            value,
            "s%3Azoiplg8QQ4uOeXUZL5m_D6UYzuJTSk6j.dGSmUX5E9Rg8BosjfjsauXZqIleGyGoTDoXpND8GeIU"
        );
    }

    #[test]
    fn a_forged_or_unsigned_cookie_is_no_session() {
        let cookies = signed("super-secret");
        let id = "zoiplg8QQ4uOeXUZL5m_D6UYzuJTSk6j";
        let other = signed("another-secret").set(id, 0);
        let forged = other
            .strip_prefix("unleash-session=")
            .and_then(|v| v.split(';').next())
            .unwrap();
        assert_eq!(cookies.key(forged), None);
        assert_eq!(cookies.key(id), None);
        assert_eq!(cookies.key(&format!("s%3A{id}")), None);
        assert_eq!(cookies.key(""), None);
    }
}
