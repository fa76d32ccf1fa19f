//! Second factors in plain Rust: authenticator-app codes (RFC 6238 TOTP: SHA-1, 6 digits, 30 s
//! steps, one step of drift either way, each step accepted once) and one-time recovery codes.

use rand::Rng;
use sha2::{Digest, Sha256};
use subtle::ConstantTimeEq;
use totp_rs::{Algorithm, Secret, TOTP};

pub const DIGITS: usize = 6;
pub const STEP_SECONDS: u64 = 30;
/// 160 bits, as RFC 4226 recommends.
pub const SECRET_BYTES: usize = 20;
/// Recovery codes made at once; each works once.
pub const RECOVERY_CODES: usize = 10;
const ISSUER: &str = "PartnerDesk";

/// A new random secret for an authenticator app.
pub fn new_secret() -> Vec<u8> {
    let mut secret = vec![0u8; SECRET_BYTES];
    rand::rng().fill(&mut secret[..]);
    secret
}

fn totp(secret: &[u8], account: &str) -> Option<TOTP> {
    // `new` refuses secrets under 128 bits and account names with a colon; ours are 160 bits,
    // and an email has no colon (checked again here rather than trusted).
    TOTP::new(
        Algorithm::SHA1,
        DIGITS,
        1,
        STEP_SECONDS,
        secret.to_vec(),
        Some(ISSUER.to_string()),
        account.replace(':', ""),
    )
    .ok()
}

/// The secret as people type it into an app: base32 in groups of four.
pub fn secret_text(secret: &[u8]) -> String {
    let encoded = match Secret::Raw(secret.to_vec()).to_encoded() {
        Secret::Encoded(text) => text,
        Secret::Raw(_) => String::new(),
    };
    encoded
        .as_bytes()
        .chunks(4)
        .map(|c| String::from_utf8_lossy(c).into_owned())
        .collect::<Vec<_>>()
        .join(" ")
}

/// The `otpauth://` URL the QR code holds.
pub fn otpauth_url(secret: &[u8], account: &str) -> Option<String> {
    totp(secret, account).map(|t| t.get_url())
}

/// The QR code of `url` as an SVG element (drawn on the server; no script, no image request).
pub fn qr_svg(url: &str) -> Option<String> {
    let code = qrcode::QrCode::new(url.as_bytes()).ok()?;
    Some(
        code.render::<qrcode::render::svg::Color<'_>>()
            .min_dimensions(200, 200)
            .quiet_zone(true)
            .build(),
    )
}

/// The code of time step `step` (for tests and the check below).
pub fn code_at(secret: &[u8], step: u64) -> String {
    totp(secret, "x")
        .map(|t| t.generate(step * STEP_SECONDS))
        .unwrap_or_default()
}

/// The time step a typed code matches (the current one or one either side), if it is later than
/// `last_used`: a code works once, and no older code works after a newer one. Spaces are ignored.
pub fn accepted_step(secret: &[u8], typed: &str, unix_time: i64, last_used: Option<i64>) -> Option<i64> {
    let code: String = typed.chars().filter(|c| !c.is_whitespace()).collect();
    if code.len() != DIGITS || !code.bytes().all(|b| b.is_ascii_digit()) || unix_time < 0 {
        return None;
    }
    let now = unix_time as u64 / STEP_SECONDS;
    let mut matched = None;
    for step in [now.saturating_sub(1), now, now + 1] {
        // Every candidate is compared, in constant time, whichever matches.
        if bool::from(code_at(secret, step).as_bytes().ct_eq(code.as_bytes())) {
            matched = Some(step as i64);
        }
    }
    matched.filter(|step| last_used.is_none_or(|last| *step > last))
}

/// Letters and digits nobody confuses when copying from paper (no 0/o, 1/l/i).
const RECOVERY_ALPHABET: &[u8] = b"23456789abcdefghjkmnpqrstuvwxyz";

/// Ten new recovery codes, `xxxxx-xxxxx` (about 49 bits each).
pub fn new_recovery_codes() -> Vec<String> {
    let mut rng = rand::rng();
    (0..RECOVERY_CODES)
        .map(|_| {
            let mut code = String::with_capacity(11);
            for i in 0..10 {
                if i == 5 {
                    code.push('-');
                }
                code.push(RECOVERY_ALPHABET[rng.random_range(0..RECOVERY_ALPHABET.len())] as char);
            }
            code
        })
        .collect()
}

/// A recovery code as typed: lower case, without spaces and hyphens; None if it cannot be one.
pub fn normalize_recovery_code(typed: &str) -> Option<String> {
    let code: String = typed
        .chars()
        .filter(|c| !c.is_whitespace() && *c != '-')
        .map(|c| c.to_ascii_lowercase())
        .collect();
    (code.len() == 10 && code.bytes().all(|b| RECOVERY_ALPHABET.contains(&b))).then_some(code)
}

/// What is stored of a recovery code: its SHA-256 (the codes are random, so no slow hash is
/// needed to make guessing from a dump hopeless).
pub fn recovery_code_hash(normalized: &str) -> Vec<u8> {
    Sha256::digest(normalized.as_bytes()).to_vec()
}

#[cfg(test)]
mod tests {
    use super::*;

    /// RFC 6238, appendix B: the SHA-1 secret "12345678901234567890", 8-digit codes; our six
    /// digits are their last six.
    #[test]
    fn codes_are_rfc_6238s() {
        let secret = b"12345678901234567890";
        for (time, eight) in [(59u64, "94287082"), (1111111109, "07081804"), (1234567890, "89005924")] {
            assert_eq!(code_at(secret, time / STEP_SECONDS), eight[2..], "at {time}");
        }
    }

    #[test]
    fn a_code_works_in_its_step_and_one_either_side_and_only_once() {
        let secret = new_secret();
        let now = 1_800_000_000i64;
        let step = now / 30;
        let code = code_at(&secret, step as u64);
        assert_eq!(accepted_step(&secret, &code, now, None), Some(step));
        assert_eq!(
            accepted_step(&secret, &format!("{} {}", &code[..3], &code[3..]), now, None),
            Some(step)
        );
        assert_eq!(accepted_step(&secret, &code, now, Some(step)), None, "used once");
        let previous = code_at(&secret, step as u64 - 1);
        assert_eq!(
            accepted_step(&secret, &previous, now, None),
            Some(step - 1),
            "one step late"
        );
        assert_eq!(
            accepted_step(&secret, &previous, now, Some(step)),
            None,
            "older than the last used"
        );
        let old = code_at(&secret, step as u64 - 2);
        assert_eq!(accepted_step(&secret, &old, now, None), None, "two steps late");
        for wrong in ["", "12345", "1234567", "abcdef", "１２３４５６"] {
            assert_eq!(accepted_step(&secret, wrong, now, None), None, "{wrong:?}");
        }
    }

    #[test]
    fn the_secret_reads_in_groups_and_the_url_names_the_issuer_and_account() {
        let secret = b"12345678901234567890".to_vec();
        assert_eq!(secret_text(&secret), "GEZD GNBV GY3T QOJQ GEZD GNBV GY3T QOJQ");
        let url = otpauth_url(&secret, "anna@partner.example").unwrap();
        assert!(
            url.starts_with("otpauth://totp/PartnerDesk:anna%40partner.example?"),
            "{url}"
        );
        assert!(url.contains("secret=GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ"), "{url}");
        assert!(url.contains("issuer=PartnerDesk"), "{url}");
        let svg = qr_svg(&url).unwrap();
        assert!(svg.contains("<svg") && svg.contains("</svg>"));
    }

    #[test]
    fn recovery_codes_are_ten_different_and_read_back_however_typed() {
        let codes = new_recovery_codes();
        assert_eq!(codes.len(), 10);
        assert_eq!(codes.iter().collect::<std::collections::HashSet<_>>().len(), 10);
        for code in &codes {
            assert_eq!(code.len(), 11);
            let normalized = normalize_recovery_code(&code.to_uppercase().replace('-', " - ")).unwrap();
            assert_eq!(normalized, code.replace('-', ""));
            assert_eq!(recovery_code_hash(&normalized).len(), 32);
        }
        assert_eq!(normalize_recovery_code("0000011111"), None, "not in the alphabet");
        assert_eq!(normalize_recovery_code("abc"), None);
    }
}
