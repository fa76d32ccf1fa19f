//! Temporary passwords: 16 characters from a cryptographically secure generator, at least one
//! each of upper case, lower case, digit and symbol, without look-alikes (O 0 l 1 I), and never
//! starting with a character a spreadsheet reads as a formula.

use rand::seq::{IndexedRandom, SliceRandom};

const UPPER: &[u8] = b"ABCDEFGHJKLMNPQRSTUVWXYZ";
const LOWER: &[u8] = b"abcdefghijkmnopqrstuvwxyz";
const DIGITS: &[u8] = b"23456789";
const SYMBOLS: &[u8] = b"!#$%&*+-=?@^_~";
/// A cell starting with one of these is a formula to Excel, so the downloaded .csv has to quote
/// it with an apostrophe; a password that never starts with one reads the same in the file, on
/// the page and in the mail.
const FORMULA_STARTS: &[u8] = b"+-=@";
pub const LENGTH: usize = 16;

/// Bits of entropy of one password, for the record: 16 draws from 71 symbols minus the
/// constraint of one of each class, about 97 bits.
pub fn entropy_bits() -> f64 {
    let alphabet = (UPPER.len() + LOWER.len() + DIGITS.len() + SYMBOLS.len()) as f64;
    LENGTH as f64 * alphabet.log2() - 1.5
}

pub fn generate() -> String {
    let mut rng = rand::rng();
    let all: Vec<u8> = [UPPER, LOWER, DIGITS, SYMBOLS].concat();
    let mut chars: Vec<u8> = [UPPER, LOWER, DIGITS, SYMBOLS]
        .iter()
        .map(|class| *class.choose(&mut rng).expect("non-empty"))
        .collect();
    while chars.len() < LENGTH {
        chars.push(*all.choose(&mut rng).expect("non-empty"));
    }
    chars.shuffle(&mut rng);
    if FORMULA_STARTS.contains(&chars[0]) {
        let plain = chars
            .iter()
            .position(|c| !FORMULA_STARTS.contains(c))
            .expect("the letters and the digit are never formula starts");
        chars.swap(0, plain);
    }
    String::from_utf8(chars).expect("ascii")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn has_every_class_and_no_look_alikes() {
        for _ in 0..500 {
            let p = generate();
            assert_eq!(p.len(), LENGTH);
            assert!(p.bytes().any(|b| b.is_ascii_uppercase()));
            assert!(p.bytes().any(|b| b.is_ascii_lowercase()));
            assert!(p.bytes().any(|b| b.is_ascii_digit()));
            assert!(p.bytes().any(|b| SYMBOLS.contains(&b)));
            assert!(!p.contains(['O', '0', 'l', '1', 'I']), "{p}");
        }
    }

    #[test]
    fn never_starts_like_a_formula() {
        for _ in 0..20_000 {
            let p = generate();
            assert!(!p.starts_with(['+', '-', '=', '@']), "{p}");
            assert_eq!(
                crate::domain::csv_safe::neutralize(&p),
                p.as_str(),
                "the .csv keeps it as it is"
            );
        }
    }

    #[test]
    fn is_not_repeated_and_has_about_a_hundred_bits() {
        let a: std::collections::HashSet<String> = (0..1000).map(|_| generate()).collect();
        assert_eq!(a.len(), 1000);
        assert!(entropy_bits() > 90.0);
    }
}
