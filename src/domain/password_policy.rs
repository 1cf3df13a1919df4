//! The password policy of CONTRACT §2.
//!
//! Unleash checks passwords with `owasp-password-strength-test`, whose rules are JavaScript regular
//! expressions over UTF-16 code units: lengths count code units (an emoji counts 2), `.` does not
//! match line terminators, and `[a-z]`-style classes are ASCII only. The rules are simple enough that
//! walking the UTF-16 code units by hand ([`Units`]) reproduces those semantics exactly, where a
//! Rust regex engine (which works on Unicode scalar values) would not; hence no regex crate here.
//!
//! Unlatch adds two rules after Unleash's seven: bcrypt reads only the first 72 bytes, so a longer
//! password is refused rather than silently truncated; and a password that passes every other rule
//! but is common or breached (the blocklist, `blocklist.rs`) is refused with [`TOO_COMMON`].

pub const MIN_LENGTH: &str = "The password must be at least 10 characters long.";
pub const MAX_LENGTH: &str = "The password must be fewer than 128 characters.";
pub const MAX_BYTES: &str = "The password must be at most 72 bytes long.";
pub const REPEATS: &str =
    "The password may not contain sequences of three or more repeated characters.";
pub const LOWERCASE: &str = "The password must contain at least one lowercase letter.";
pub const UPPERCASE: &str = "The password must contain at least one uppercase letter.";
pub const NUMBER: &str = "The password must contain at least one number.";
pub const SPECIAL: &str = "The password must contain at least one special character.";
pub const TOO_COMMON: &str = "This password is too common. Choose one that is harder to guess.";

/// Rules of Unlatch's own that `validate-password` does not report, leaving them to the call that
/// sets the password.
///
/// Unleash's web UI asks `validate-password` as the user types and reads the answer by rule family
/// (length, casing, number, symbol, repeats). Its invite page (`/new-user`, Unleash 8.1/8.2: the
/// `PasswordChecker` of `ResetPasswordForm`) keeps Submit disabled on any 400 and shows nothing
/// for a message it does not know, and its profile and admin "change password" dialogs then blame
/// the format rules instead. Every one of those pages does show the `message` of a 400 from the
/// final call (reset, change password, admin change) in its error alert. So a password that fails
/// only these rules gets 200 from `validate-password` (Submit is enabled), and the final call
/// refuses it with an OwaspValidationError whose message says why. A password that also fails one of
/// Unleash's rules is answered as Unleash would answer it.
///
/// The same holds for Unlatch's 72-byte rule: Unleash accepts an 80-character password (bcrypt
/// then silently ignores its tail), so its invite page would dead-end on it. Refused at the final
/// call with its reason, it is never truncated and the person always sees why.
pub const LEFT_TO_THE_FINAL_CALL: &[&str] = &[MAX_BYTES, TOO_COMMON];

/// bcrypt's input limit in bytes.
pub const BCRYPT_MAX_BYTES: usize = 72;

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum PolicyError {
    /// Empty password (PasswordUndefinedError).
    #[error("the password is empty")]
    Undefined,
    /// Every failed rule, in the contract's order (OwaspValidationError).
    #[error("{}", .0.join(" "))]
    Weak(Vec<&'static str>),
}

/// The policy in force: the rules of [`check`], then the blocklist unless it is switched off.
#[derive(Debug)]
pub struct PasswordPolicy {
    blocklist: Option<crate::domain::blocklist::Blocklist>,
}

impl PasswordPolicy {
    /// `None` switches the blocklist off (`PASSWORD_BLOCKLIST=false`).
    pub fn new(blocklist: Option<crate::domain::blocklist::Blocklist>) -> Self {
        PasswordPolicy { blocklist }
    }

    /// The policy for a password that is about to be set: every rule of [`check`] and, when they
    /// all pass, the blocklist. The blocklist comes last so that a weak password gets Unleash's
    /// own answer (`hunter2` fails rules 1, 5 and 7, as the contract says), and the extra lookup
    /// costs nothing for it.
    pub fn check(&self, password: &str) -> Result<(), PolicyError> {
        check(password)?;
        match &self.blocklist {
            Some(list) if list.contains(password) => Err(PolicyError::Weak(vec![TOO_COMMON])),
            _ => Ok(()),
        }
    }

    /// The answer of `validate-password`: [`PasswordPolicy::check`] without the rules in
    /// [`LEFT_TO_THE_FINAL_CALL`] (see there why).
    pub fn preview(&self, password: &str) -> Result<(), PolicyError> {
        // The blocklist only runs once every other rule passed, and its verdict is one of the
        // rules left to the final call: looking it up here would only be thrown away.
        let verdict = if LEFT_TO_THE_FINAL_CALL.contains(&TOO_COMMON) {
            check(password)
        } else {
            self.check(password)
        };
        match verdict {
            Err(PolicyError::Weak(rules)) => {
                let shown: Vec<&'static str> = rules
                    .into_iter()
                    .filter(|rule| !LEFT_TO_THE_FINAL_CALL.contains(rule))
                    .collect();
                if shown.is_empty() {
                    Ok(())
                } else {
                    Err(PolicyError::Weak(shown))
                }
            }
            other => other,
        }
    }
}

/// Checks every rule of Unleash's seven and the 72-byte rule, and lists every failure, in order.
pub fn check(password: &str) -> Result<(), PolicyError> {
    if password.is_empty() {
        return Err(PolicyError::Undefined);
    }
    let units = Units::of(password);
    let mut failed = Vec::new();
    if units.count < 10 {
        failed.push(MIN_LENGTH);
    }
    if units.count > 128 {
        failed.push(MAX_LENGTH);
    }
    if password.len() > BCRYPT_MAX_BYTES {
        failed.push(MAX_BYTES);
    }
    if units.triple {
        failed.push(REPEATS);
    }
    if !units.lowercase {
        failed.push(LOWERCASE);
    }
    if !units.uppercase {
        failed.push(UPPERCASE);
    }
    if !units.number {
        failed.push(NUMBER);
    }
    if !units.special {
        failed.push(SPECIAL);
    }
    if failed.is_empty() {
        Ok(())
    } else {
        Err(PolicyError::Weak(failed))
    }
}

/// What the rules ask of a password's UTF-16 code units, found in one walk over them (without
/// collecting them: `validate-password` runs this as the user types).
#[derive(Default)]
struct Units {
    /// How many there are (JavaScript's `length`).
    count: usize,
    /// JavaScript's `/(.)\1{2,}/`: one code unit three times in a row, where `.` is any code unit
    /// but a line terminator.
    triple: bool,
    /// `[a-z]`, `[A-Z]`, `[0-9]` (ASCII only) and `[^A-Za-z0-9]`.
    lowercase: bool,
    uppercase: bool,
    number: bool,
    special: bool,
}

impl Units {
    fn of(password: &str) -> Self {
        const LINE_TERMINATORS: [u16; 4] = [0x0A, 0x0D, 0x2028, 0x2029];
        let mut found = Units::default();
        let (mut second_last, mut last) = (None, None);
        for unit in password.encode_utf16() {
            found.count += 1;
            if second_last == Some(unit) && last == Some(unit) && !LINE_TERMINATORS.contains(&unit)
            {
                found.triple = true;
            }
            (second_last, last) = (last, Some(unit));
            if is_ascii_in(unit, b'a', b'z') {
                found.lowercase = true;
            } else if is_ascii_in(unit, b'A', b'Z') {
                found.uppercase = true;
            } else if is_ascii_in(unit, b'0', b'9') {
                found.number = true;
            } else {
                found.special = true;
            }
        }
        found
    }
}

fn is_ascii_in(unit: u16, low: u8, high: u8) -> bool {
    (u16::from(low)..=u16::from(high)).contains(&unit)
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
        assert_eq!(failures("Abc1!äää-yz"), vec![REPEATS]);
        assert_eq!(failures("Abc1!xxAx-yz"), Vec::<&str>::new());
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

    fn with_blocklist() -> PasswordPolicy {
        PasswordPolicy::new(Some(crate::domain::blocklist::Blocklist::builtin()))
    }

    #[test]
    fn common_passwords_are_refused_through_their_decorations() {
        let policy = with_blocklist();
        let refused = [
            // the examples
            "Password123!",
            "P@ssw0rd2024!",
            "Welcome2024!",
            "Qwerty12345!",
            // case variants
            "pASSWORD123!",
            "pAsSwOrD123!",
            "wELCOME2024!",
            // decorated at either end, or not at all beyond what the rules demand
            "!!Password1",
            "2024-Sunshine!",
            "Dragon-2024",
            "Iloveyou_99",
            // leetspeak: @ 0 1 3 4 5 $ 7
            "P4ssw0rd!2024",
            "Pa$$w0rd-123",
            "W3lc0m3#2024",
            "Sh@d0w!12345",
            "M0nk3y!12345",
            "Tr1n1ty#2024",
            "Sup3rm@n!123",
            "L3tm31n!2024",
            "Hell0!2024",
        ];
        for password in refused {
            assert_eq!(
                check(password),
                Ok(()),
                "{password:?} must pass the other rules"
            );
            assert_eq!(
                policy.check(password),
                Err(PolicyError::Weak(vec![TOO_COMMON])),
                "{password:?} should be refused as common"
            );
        }
    }

    #[test]
    fn strong_passwords_pass_the_blocklist() {
        let policy = with_blocklist();
        let accepted = [
            // the contract's strong examples
            "simple123-_ASsad",
            "DtUYwi&l5I1KX4@Le",
            "Pässwörd12!",
            // random, 16 characters
            "pX7#kQ9v!Lm2@Tz4",
            "q8R$wN2!zK5vB7@x",
            // every password the test suites, the SDK and browser tests, the contract run and the
            // benchmark use as a strong one
            "Adm1n-Passw0rd!",
            "Admin-set-passw0rd",
            "Bench-Passw0rd!-ceiling",
            "Bench-Admin-Passw0rd!7",
            "Bench-Reset-Passw0rd!99",
            "Bench-User-Passw0rd!42",
            "Concurrent-07x!",
            "Contract-Adm1n!",
            "DtUYwi&l5I1KX4@L",
            "Editor-Passw0rd!",
            "First-passw0rd-1",
            "New-passw0rd-456",
            "Not-the-Passw0rd!",
            "Old-Passw0rd!",
            "Old-passw0rd-123",
            "Other-passw0rd-3",
            "Passw0rd!-one",
            "Passw0rd!-two",
            "Passw0rd!-three",
            "Pässwörd12!xyz",
            "Recovered-Passw0rd!",
            "Sdk-tests-Adm1n-P4ss!",
            "Second-passw0rd-2",
            "Secret-Passw0rd-42!",
            "Wrong-passw0rd!",
            "wrong-Passw0rd!",
            "Abc1!xx-yzq",
            "😀😀😀😀Ab1",
        ];
        for password in accepted {
            assert_eq!(policy.check(password), Ok(()), "{password:?}");
        }
    }

    #[test]
    fn the_blocklist_comes_after_the_other_rules() {
        let policy = with_blocklist();
        // Weak passwords keep Unleash's answer: the blocklist is not added to their rules.
        assert_eq!(
            policy.check("hunter2"),
            Err(PolicyError::Weak(vec![MIN_LENGTH, UPPERCASE, SPECIAL]))
        );
        assert_eq!(
            policy.check("password"),
            Err(PolicyError::Weak(vec![
                MIN_LENGTH, UPPERCASE, NUMBER, SPECIAL
            ]))
        );
        assert_eq!(policy.check(""), Err(PolicyError::Undefined));
    }

    #[test]
    fn switched_off_the_blocklist_refuses_nothing() {
        let policy = PasswordPolicy::new(None);
        for password in [
            "Password123!",
            "P@ssw0rd2024!",
            "Welcome2024!",
            "Qwerty12345!",
        ] {
            assert_eq!(policy.check(password), Ok(()), "{password:?}");
        }
        assert_eq!(
            policy.check("hunter2"),
            Err(PolicyError::Weak(vec![MIN_LENGTH, UPPERCASE, SPECIAL]))
        );
    }

    #[test]
    fn validate_password_leaves_the_blocklist_to_the_final_call() {
        let policy = with_blocklist();
        assert_eq!(policy.preview("Password123!"), Ok(()));
        assert_eq!(
            policy.preview("hunter2"),
            Err(PolicyError::Weak(vec![MIN_LENGTH, UPPERCASE, SPECIAL]))
        );
        // The 72-byte rule is left to the final call too; the other rules are still reported.
        let long = format!("Aa1!{}", "xy".repeat(35));
        assert_eq!(policy.preview(&long), Ok(()));
        assert_eq!(policy.check(&long), Err(PolicyError::Weak(vec![MAX_BYTES])));
        let long_lower = format!("a1!{}", "xy".repeat(35));
        assert_eq!(
            policy.preview(&long_lower),
            Err(PolicyError::Weak(vec![UPPERCASE]))
        );
        assert_eq!(policy.preview(""), Err(PolicyError::Undefined));
    }
}
