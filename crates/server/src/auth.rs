//! Who may ingest: nobody (`403`), the holder of a bearer token (`401`
//! for anyone else, RFC 6750), or anyone (only on loopback; see
//! [`crate::serve_on`]).

use axum::http::{header, HeaderMap, HeaderValue, StatusCode};

use crate::config::IngestAccess;
use crate::error::ApiError;

/// The challenge a client without the right token is sent.
const CHALLENGE: &str = "Bearer realm=\"storyline ingest\"";
const CHALLENGE_INVALID: &str = "Bearer realm=\"storyline ingest\", error=\"invalid_token\"";

/// Whether the request may ingest (or read an ingest job).
pub(crate) fn may_ingest(access: &IngestAccess, headers: &HeaderMap) -> Result<(), ApiError> {
    let token = match access {
        IngestAccess::Open => return Ok(()),
        IngestAccess::Disabled => {
            return Err(ApiError::new(
                StatusCode::FORBIDDEN,
                "ingest_disabled",
                "ingest is switched off on this server; start it with `storyline serve --ingest-token …` \
                 (or STORYLINE_INGEST_TOKEN), or `--allow-ingest` on a loopback address, \
                 or ingest with `storyline ingest` on the machine holding the store",
            ))
        }
        IngestAccess::Token(t) => t,
    };
    let unauthorized = |code: &'static str, challenge: &'static str, message: &str| {
        ApiError::new(StatusCode::UNAUTHORIZED, code, message).with_header(
            header::WWW_AUTHENTICATE,
            HeaderValue::from_static(challenge),
        )
    };
    let mut values = headers.get_all(header::AUTHORIZATION).iter();
    let (Some(value), None) = (values.next(), values.next()) else {
        return Err(unauthorized(
            "unauthorized",
            CHALLENGE,
            "ingest needs the server's token: send one `Authorization: Bearer <token>` header",
        ));
    };
    // The scheme is case-insensitive (RFC 9110 §11.1); the credentials are
    // compared as bytes, so a header that is not UTF-8 is simply wrong.
    let bytes = value.as_bytes();
    let presented = match bytes.iter().position(|&b| b == b' ') {
        Some(i) if bytes[..i].eq_ignore_ascii_case(b"bearer") => bytes[i..].trim_ascii(),
        _ => return Err(unauthorized(
            "unauthorized",
            CHALLENGE,
            "the Authorization header is not a bearer token; send `Authorization: Bearer <token>`",
        )),
    };
    if token.matches(presented) {
        Ok(())
    } else {
        tracing::warn!("ingest refused: wrong bearer token");
        Err(unauthorized(
            "invalid_token",
            CHALLENGE_INVALID,
            "the bearer token is not this server's ingest token",
        ))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::config::IngestToken;

    const TOKEN: &str = "s3cret-token-0123456789";

    fn check(access: &IngestAccess, values: &[&[u8]]) -> Result<(), (StatusCode, &'static str)> {
        let mut h = HeaderMap::new();
        for v in values {
            h.append(
                header::AUTHORIZATION,
                HeaderValue::from_bytes(v).expect("header value"),
            );
        }
        may_ingest(access, &h).map_err(|e| (e.status, e.code))
    }

    #[test]
    fn bearer_tokens_are_checked() {
        let access = IngestAccess::Token(IngestToken::new(TOKEN).unwrap());
        let good = format!("Bearer {TOKEN}");
        assert_eq!(check(&access, &[good.as_bytes()]), Ok(()));
        let lower = format!("bearer  {TOKEN} ");
        assert_eq!(check(&access, &[lower.as_bytes()]), Ok(()));
        let unauthorized = Err((StatusCode::UNAUTHORIZED, "unauthorized"));
        let invalid = Err((StatusCode::UNAUTHORIZED, "invalid_token"));
        assert_eq!(check(&access, &[]), unauthorized);
        assert_eq!(check(&access, &[b""]), unauthorized);
        assert_eq!(check(&access, &[b"Bearer"]), unauthorized);
        assert_eq!(check(&access, &[TOKEN.as_bytes()]), unauthorized);
        let basic = format!("Basic {TOKEN}");
        assert_eq!(check(&access, &[basic.as_bytes()]), unauthorized);
        // Two headers, even if one is right: ambiguous, refused.
        assert_eq!(
            check(&access, &[good.as_bytes(), b"Bearer x"]),
            unauthorized
        );
        assert_eq!(check(&access, &[b"Bearer "]), invalid);
        assert_eq!(check(&access, &[b"Bearer s3cret-token-012345678"]), invalid);
        let longer = format!("Bearer {TOKEN}0");
        assert_eq!(check(&access, &[longer.as_bytes()]), invalid);
        let huge = format!("Bearer {}", "A".repeat(100_000));
        assert_eq!(check(&access, &[huge.as_bytes()]), invalid);
        assert_eq!(check(&access, &[b"Bearer \xff\xfe token"]), invalid);
    }

    #[test]
    fn disabled_and_open_access() {
        assert_eq!(
            check(&IngestAccess::Disabled, &[b"Bearer anything-at-all-0000"]),
            Err((StatusCode::FORBIDDEN, "ingest_disabled"))
        );
        assert_eq!(check(&IngestAccess::Open, &[]), Ok(()));
    }
}
