//! The blocklist of common and breached passwords (NIST SP 800-63B 5.1.1.2), offline.
//!
//! Two sources, both looked up case-insensitively:
//! - built in: the list of about 100,000 common passwords that the `passwords` crate ships
//!   (committed in `assets/common-passwords/`), compiled into the binary by `build.rs` as one
//!   string of sorted entries and their offsets
//!   ([`builtin`]). It costs no heap, no start-up time and no relocations; only the pages a lookup
//!   touches are read in.
//! - the operator's own file (`PASSWORD_BLOCKLIST_FILE`, one password a line, e.g. a breach
//!   corpus). A big file must not cost its size in memory, so each line is kept only as a 64-bit
//!   keyed hash (8 bytes a distinct line) in a sorted vector that is binary-searched. Two different
//!   passwords share a hash with odds of about one in 2^64 per entry: at worst a password is
//!   refused that was not listed.
//!
//! A password is refused when it, or what is left of it once its decorations are taken off, is on
//! a list: see [`candidates`].

use std::collections::hash_map::RandomState;
use std::fs::File;
use std::hash::BuildHasher;
use std::io::{BufRead, BufReader};
use std::path::{Path, PathBuf};

/// What went wrong reading the operator's list; the path is kept, never a line of the file.
#[derive(Debug, thiserror::Error)]
pub enum BlocklistError {
    #[error("cannot read the password blocklist {path}: {source}")]
    Read {
        path: PathBuf,
        #[source]
        source: std::io::Error,
    },
}

/// The lists a password is checked against.
pub struct Blocklist {
    custom: Option<CustomList>,
}

/// The operator's list, as sorted keyed hashes of its lower-cased lines.
struct CustomList {
    hashes: Vec<u64>,
    hasher: RandomState,
}

/// What loading the operator's file found, for the start-up log (counts only, never a line).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct LoadReport {
    /// Distinct passwords kept.
    pub entries: usize,
    /// Lines that were not UTF-8 (no password a client sends can match them).
    pub skipped: usize,
}

// A Debug that prints sizes only: the lists hold passwords (or their hashes).
impl std::fmt::Debug for Blocklist {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Blocklist")
            .field(
                "custom_entries",
                &self.custom.as_ref().map(|c| c.hashes.len()),
            )
            .finish()
    }
}

impl Blocklist {
    /// The built-in list alone.
    pub fn builtin() -> Self {
        Blocklist { custom: None }
    }

    /// The built-in list plus the operator's file. Blocking: read it off the async runtime.
    pub fn with_file(path: &Path) -> Result<(Self, LoadReport), BlocklistError> {
        let read_error = |source| BlocklistError::Read {
            path: path.to_path_buf(),
            source,
        };
        let file = File::open(path).map_err(read_error)?;
        // A breach corpus is mostly short lines: reserve for one password per ~10 bytes.
        let estimate = file
            .metadata()
            .map(|m| usize::try_from(m.len() / 10).unwrap_or(0))
            .unwrap_or(0);
        let hasher = RandomState::new();
        let mut hashes = Vec::with_capacity(estimate);
        let mut skipped = 0;
        let mut reader = BufReader::with_capacity(1 << 16, file);
        let mut line = Vec::new();
        let mut lowered = String::new();
        loop {
            line.clear();
            if reader.read_until(b'\n', &mut line).map_err(read_error)? == 0 {
                break;
            }
            let trimmed = line.strip_suffix(b"\n").unwrap_or(&line);
            let trimmed = trimmed.strip_suffix(b"\r").unwrap_or(trimmed);
            if trimmed.is_empty() {
                continue;
            }
            match std::str::from_utf8(trimmed) {
                Ok(password) => {
                    // `lower` without an allocation a line: most lines are ASCII.
                    lowered.clear();
                    if password.is_ascii() {
                        lowered.push_str(password);
                        lowered.make_ascii_lowercase();
                    } else {
                        lowered.push_str(&lower(password));
                    }
                    hashes.push(hasher.hash_one(lowered.as_str()));
                }
                Err(_) => skipped += 1,
            }
        }
        hashes.sort_unstable();
        hashes.dedup();
        hashes.shrink_to_fit();
        let report = LoadReport {
            entries: hashes.len(),
            skipped,
        };
        Ok((
            Blocklist {
                custom: Some(CustomList { hashes, hasher }),
            },
            report,
        ))
    }

    /// Whether the password, or its undecorated form, is on a list.
    pub fn contains(&self, password: &str) -> bool {
        candidates(password)
            .iter()
            .any(|candidate| self.listed(candidate))
    }

    fn listed(&self, candidate: &str) -> bool {
        builtin::contains(candidate)
            || self.custom.as_ref().is_some_and(|custom| {
                custom
                    .hashes
                    .binary_search(&custom.hasher.hash_one(candidate))
                    .is_ok()
            })
    }
}

/// The built-in list, as `build.rs` writes it: `TEXT` holds the entries sorted in byte order, each
/// ended by a newline (no entry holds one), and `OFFSETS` where each starts. Offsets rather than
/// a `&[&str]`, whose pointers the loader would relocate at every start (4.8 MiB resident).
mod builtin {
    static TEXT: &str = include_str!(concat!(env!("OUT_DIR"), "/common-passwords.txt"));
    include!(concat!(env!("OUT_DIR"), "/common-passwords.rs"));

    /// The entry that starts at `start`.
    fn entry(start: u32) -> &'static str {
        let rest = TEXT.get(start as usize..).unwrap_or_default();
        rest.split_once('\n').map_or(rest, |(entry, _)| entry)
    }

    pub fn contains(candidate: &str) -> bool {
        OFFSETS
            .binary_search_by(|&start| entry(start).cmp(candidate))
            .is_ok()
    }

    #[cfg(test)]
    pub fn entries() -> impl Iterator<Item = &'static str> {
        OFFSETS.iter().map(|&start| entry(start))
    }
}

fn lower(password: &str) -> String {
    password.to_lowercase()
}

/// Characters that decorate a word at either end: digits, ASCII punctuation and white space.
fn is_decoration(c: char) -> bool {
    c.is_ascii_digit() || c.is_ascii_punctuation() || c.is_whitespace()
}

/// The leetspeak substitutions undone, but `1`, which may stand for `i` or `l` (see [`unleet`]).
fn unleet_char(c: char) -> Option<char> {
    Some(match c {
        '@' | '4' => 'a',
        '0' => 'o',
        '3' => 'e',
        '5' | '$' => 's',
        '7' => 't',
        _ => return None,
    })
}

fn is_leet(c: char) -> bool {
    c == '1' || unleet_char(c).is_some()
}

/// `word` with its leetspeak undone, reading `1` as `one`.
fn unleet(word: &[char], one: char) -> String {
    word.iter()
        .map(|&c| {
            if c == '1' {
                one
            } else {
                unleet_char(c).unwrap_or(c)
            }
        })
        .collect()
}

/// The forms of a password that are looked up, lower-cased: the password itself, then its "core"
/// (the password without the run of digits, punctuation and spaces at either end, as in
/// `Welcome2024!` or `!!Summer1`), each also with its leetspeak undone (`P@ssw0rd` is `password`;
/// `1` is tried as both `i` and `l`). Where the run at an end starts with leetspeak characters, up
/// to two of them are also kept as part of the word (`Hell0!` is `hello`, `$uperman1` is
/// `superman`).
///
/// Hand-written because no crate does just this: `zxcvbn` finds l33t and decorated dictionary words
/// too, but only inside its whole strength estimator, which is far slower than this lookup and
/// keeps its word lists private. The work is bounded: at most 9 cores of at most 3 forms each.
pub fn candidates(password: &str) -> Vec<String> {
    let lowered = lower(password);
    let chars: Vec<char> = lowered.chars().collect();
    let mut out = Vec::with_capacity(8);
    out.push(password.to_string());
    out.push(lowered);
    let lead = chars.iter().take_while(|&&c| is_decoration(c)).count();
    if lead == chars.len() {
        out.dedup();
        return out;
    }
    let trail = chars
        .iter()
        .rev()
        .take_while(|&&c| is_decoration(c))
        .count();
    // How many decoration characters next to the word may be leetspeak kept as part of it.
    let keep_lead = chars[..lead]
        .iter()
        .rev()
        .take(2)
        .take_while(|&&c| is_leet(c))
        .count();
    let keep_trail = chars[chars.len() - trail..]
        .iter()
        .take(2)
        .take_while(|&&c| is_leet(c))
        .count();
    for kept_lead in 0..=keep_lead {
        for kept_trail in 0..=keep_trail {
            let core = &chars[lead - kept_lead..chars.len() - trail + kept_trail];
            push_new(&mut out, core.iter().collect());
            if core.iter().any(|&c| is_leet(c)) {
                push_new(&mut out, unleet(core, 'i'));
                if core.contains(&'1') {
                    push_new(&mut out, unleet(core, 'l'));
                }
            }
        }
    }
    out
}

fn push_new(out: &mut Vec<String>, candidate: String) {
    if !out.contains(&candidate) {
        out.push(candidate);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_builtin_list_is_searchable() {
        // Entries from the start, middle and end of the sorted list (and one with capitals).
        for listed in [
            "!@#$%^&*", "123456", "Password", "password", "qwerty", "zxcvbnm",
        ] {
            assert!(
                builtin::contains(listed),
                "{listed:?} should be on the built-in list"
            );
        }
        for unlisted in [
            "",
            "Correct-Horse-Battery-Staple-1917",
            "unlatch-not-listed",
            "password\n",
        ] {
            assert!(!builtin::contains(unlisted), "{unlisted:?} is not listed");
        }
    }

    #[test]
    fn the_builtin_list_is_whole_and_sorted() {
        let entries: Vec<&str> = builtin::entries().collect();
        assert!(entries.len() > 90_000, "{} entries", entries.len());
        assert!(
            entries.windows(2).all(|w| w[0] < w[1]),
            "sorted, no duplicates"
        );
        assert!(entries.iter().all(|e| !e.is_empty()));
        // Every entry is found, the first and the last included.
        assert!(entries.iter().all(|e| builtin::contains(e)));
    }

    #[test]
    fn the_builtin_list_is_the_committed_file() {
        let path = concat!(
            env!("CARGO_MANIFEST_DIR"),
            "/assets/common-passwords/common-passwords.txt"
        );
        let file = std::fs::read_to_string(path).unwrap();
        let lines: Vec<&str> = file.lines().collect();
        let entries: Vec<&str> = builtin::entries().collect();
        assert_eq!(entries.len(), lines.len(), "one entry a line of {path}");
        assert!(entries == lines, "the entries are {path}'s lines, in order");
    }

    #[test]
    fn decorations_come_off() {
        let forms = candidates("P@ssw0rd2024!");
        assert!(forms.contains(&"p@ssw0rd".to_string()), "{forms:?}");
        assert!(forms.contains(&"password".to_string()), "{forms:?}");
        assert!(candidates("Hell0!").contains(&"hello".to_string()));
        assert!(candidates("$uperman1").contains(&"superman".to_string()));
        assert!(candidates("W3lc0me-2024").contains(&"welcome".to_string()));
        assert!(candidates("B1ll").contains(&"bill".to_string()));
        assert!(candidates("M1ke!").contains(&"mike".to_string()));
    }

    #[test]
    fn only_decoration_is_looked_up_whole() {
        assert_eq!(candidates("1234567890!"), vec!["1234567890!"]);
    }

    #[test]
    fn the_number_of_forms_is_bounded() {
        let worst = format!("{}Aa{}", "$@".repeat(30), "7@".repeat(30));
        assert!(candidates(&worst).len() <= 2 + 9 * 3);
    }

    #[test]
    fn a_file_is_read_case_insensitively_and_ignores_blank_and_broken_lines() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("list.txt");
        std::fs::write(
            &path,
            b"Tr0ub4dor\r\n\nCorrectHorse\nCORRECTHORSE\n\xff\xfe\n",
        )
        .unwrap();
        let (list, report) = Blocklist::with_file(&path).unwrap();
        assert_eq!(
            report,
            LoadReport {
                entries: 2,
                skipped: 1
            }
        );
        assert!(list.contains("correcthorse"));
        assert!(list.contains("CorrectHorse2024!"));
        assert!(list.contains("tr0ub4dor"));
        assert!(!list.contains("CorrectHorseBattery"));
        assert!(!format!("{list:?}").contains("orse"));
    }

    #[test]
    fn a_missing_file_names_its_path() {
        let err = Blocklist::with_file(Path::new("/nonexistent/list.txt")).unwrap_err();
        assert!(err.to_string().contains("/nonexistent/list.txt"), "{err}");
    }
}
