//! Commands the tool suggests, quoted so that they paste into a POSIX shell as printed.

/// `word` as one shell word: as is when it holds only characters no shell treats specially,
/// else in single quotes (a `'` inside written `'\''`).
pub(crate) fn word(word: &str) -> String {
    let plain = !word.is_empty()
        && word
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || b"@%+=:,./_-".contains(&b));
    if plain {
        word.to_owned()
    } else {
        format!("'{}'", word.replace('\'', r"'\''"))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn words_that_need_it_are_quoted() {
        assert_eq!(word("rj-1_2.3"), "rj-1_2.3");
        assert_eq!(word("a+b/c="), "a+b/c=");
        assert_eq!(word("it's"), r"'it'\''s'");
        assert_eq!(word("a b;rm -rf ~"), "'a b;rm -rf ~'");
        assert_eq!(word("$(id)`x`"), "'$(id)`x`'");
        assert_eq!(word(""), "''");
    }

    #[test]
    fn a_quoted_word_is_one_word_in_a_real_shell() {
        for original in ["it's", "a b", "$(echo pwned)", "x\\y", "\"q\"", "*"] {
            let output = std::process::Command::new("sh")
                .arg("-c")
                .arg(format!("printf '%s' {}", word(original)))
                .output()
                .expect("sh runs");
            assert_eq!(String::from_utf8_lossy(&output.stdout), original);
        }
    }
}
