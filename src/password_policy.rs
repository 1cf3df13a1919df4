//! The password policy of CONTRACT §2.
//!
//! Unleash checks passwords with `owasp-password-strength-test`, whose rules are JavaScript regular
//! expressions over UTF-16 code units: lengths count code units (an emoji counts 2), `.` does not
//! match line terminators, and `[a-z]`-style classes are ASCII only. The rules are simple enough that
//! walking the UTF-16 code units by hand reproduces those semantics exactly, where a Rust regex
//! engine (which works on Unicode scalar values) would not; hence no regex crate here.
//!
//! Unlatch adds one rule: bcrypt reads only the first 72 bytes, so a longer password is refused
//! rather than silently truncated.

pub const MIN_LENGTH: &str = "The password must be at least 10 characters long.";
pub const MAX_LENGTH: &str = "The password must be fewer than 128 characters.";
pub const MAX_BYTES: &str = "The password must be at most 72 bytes long.";
pub const REPEATS: &str =
    "The password may not contain sequences of three or more repeated characters.";
pub const LOWERCASE: &str = "The password must contain at least one lowercase letter.";
pub const UPPERCASE: &str = "The password must contain at least one uppercase letter.";
pub const NUMBER: &str = "The password must contain at least one number.";
pub const SPECIAL: &str = "The password must contain at least one special character.";

/// bcrypt's input limit in bytes.
pub const BCRYPT_MAX_BYTES: usize = 72;

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum PolicyError {
    /// Empty password (PasswordUndefinedError).
    Undefined,
    /// Every failed rule, in the contract's order (OwaspValidationError).
    Weak(Vec<&'static str>),
}

/// Checks every rule and lists every failure, in order.
pub fn check(password: &str) -> Result<(), PolicyError> {
    if password.is_empty() {
        return Err(PolicyError::Undefined);
    }
    let units: Vec<u16> = password.encode_utf16().collect();
    let mut failed = Vec::new();
    if units.len() < 10 {
        failed.push(MIN_LENGTH);
    }
    if units.len() > 128 {
        failed.push(MAX_LENGTH);
    }
    if password.len() > BCRYPT_MAX_BYTES {
        failed.push(MAX_BYTES);
    }
    if has_triple(&units) {
        failed.push(REPEATS);
    }
    if !units.iter().any(|&u| is_ascii_in(u, b'a', b'z')) {
        failed.push(LOWERCASE);
    }
    if !units.iter().any(|&u| is_ascii_in(u, b'A', b'Z')) {
        failed.push(UPPERCASE);
    }
    if !units.iter().any(|&u| is_ascii_in(u, b'0', b'9')) {
        failed.push(NUMBER);
    }
    if !units.iter().any(|&u| !is_ascii_alnum(u)) {
        failed.push(SPECIAL);
    }
    if failed.is_empty() {
        Ok(())
    } else {
        Err(PolicyError::Weak(failed))
    }
}

fn is_ascii_in(unit: u16, low: u8, high: u8) -> bool {
    (u16::from(low)..=u16::from(high)).contains(&unit)
}

fn is_ascii_alnum(unit: u16) -> bool {
    is_ascii_in(unit, b'a', b'z') || is_ascii_in(unit, b'A', b'Z') || is_ascii_in(unit, b'0', b'9')
}

/// JavaScript's `/(.)\1{2,}/`: one code unit three times in a row, where `.` is any code unit but
/// a line terminator.
fn has_triple(units: &[u16]) -> bool {
    const LINE_TERMINATORS: [u16; 4] = [0x0A, 0x0D, 0x2028, 0x2029];
    units
        .windows(3)
        .any(|w| w[0] == w[1] && w[1] == w[2] && !LINE_TERMINATORS.contains(&w[0]))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn failures(password: &str) -> Vec<&'static str> {
        match check(password) {
            Ok(()) => Vec::new(),
            Err(PolicyError::Weak(rules)) => rules,
            Err(PolicyError::Undefined) => panic!("unexpected Undefined"),
        }
    }

    #[test]
    fn contract_examples() {
        let table: &[(&str, &[&str])] = &[
            ("hunter2", &[MIN_LENGTH, UPPERCASE, SPECIAL]),
            ("qwertyabcde", &[UPPERCASE, NUMBER, SPECIAL]),
            ("aiaiaiaiaiaiaiaiaiaia", &[UPPERCASE, NUMBER, SPECIAL]),
            ("Aaa1!aaaaaaa", &[REPEATS]),
            ("correct horse battery staple", &[UPPERCASE, NUMBER]),
            ("simple123-_ASsad", &[]),
            ("DtUYwi&l5I1KX4@Le", &[]),
            ("Pässwörd12!", &[]),
        ];
        for (password, expected) in table {
            assert_eq!(failures(password), *expected, "password {password:?}");
        }
    }

    #[test]
    fn empty_is_undefined() {
        assert_eq!(check(""), Err(PolicyError::Undefined));
    }

    #[test]
    fn length_counts_utf16_code_units() {
        // 4 emoji = 8 code units, plus "Ab1" = 11 >= 10: long enough although only 7 characters.
        assert_eq!(failures("😀😀😀😀Ab1"), Vec::<&str>::new());
        // 3 emoji + "Ab1" = 9 code units: too short.
        assert_eq!(failures("😀😁😂Ab1"), vec![MIN_LENGTH]);
    }

    #[test]
    fn max_length_is_128_code_units() {
        let ok = format!("Aa1!{}", "xy".repeat(62)); // 128 units, 128 bytes
        let long = format!("{ok}z");
        assert!(failures(&ok).contains(&MAX_BYTES));
        assert!(!failures(&ok).contains(&MAX_LENGTH));
        assert_eq!(failures(&long), vec![MAX_LENGTH, MAX_BYTES]);
    }

    #[test]
    fn over_72_bytes_is_refused() {
        let at_limit = format!("Aa1!{}", "xy".repeat(34)); // 72 bytes
        assert_eq!(at_limit.len(), 72);
        assert_eq!(failures(&at_limit), Vec::<&str>::new());
        let over = format!("{at_limit}z");
        assert_eq!(failures(&over), vec![MAX_BYTES]);
        // 36 'ä' are 72 bytes but 36 characters: the byte rule counts bytes, not characters.
        let umlauts = format!("Aa1{}", "äb".repeat(24)); // 3 + 24*3 = 75 bytes
        assert_eq!(failures(&umlauts), vec![MAX_BYTES]);
    }

    #[test]
    fn repeats_follow_javascript_semantics() {
        assert_eq!(failures("Abc1!xxx-yz"), vec![REPEATS]);
        // Line terminators are not matched by `.`.
        assert_eq!(failures("Abc1!\n\n\nyz"), Vec::<&str>::new());
        // An emoji is two different code units: three in a row repeat no single unit.
        assert_eq!(failures("Abc1😀😀😀z"), Vec::<&str>::new());
        // Two is fine.
        assert_eq!(failures("Abc1!xx-yzq"), Vec::<&str>::new());
    }

    #[test]
    fn space_and_non_ascii_letters_are_special() {
        assert_eq!(failures("Abcdefgh1 "), Vec::<&str>::new());
        assert_eq!(failures("Abcdefgh1é"), Vec::<&str>::new());
        // Non-ASCII letters are not lowercase/uppercase letters for the policy.
        assert_eq!(failures("ÄÖÜäöüß1234"), vec![LOWERCASE, UPPERCASE]);
    }
}
