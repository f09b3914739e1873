//! `roadlens git-diff`: git's external diff driver.
//!
//! Set up once per repository:
//!
//! ```text
//! git config diff.roadlens.command 'roadlens git-diff'
//! echo '*.toml diff=roadlens' >> .gitattributes
//! ```
//!
//! git then runs it per changed file with 7 arguments (`path old-file old-hex
//! old-mode new-file new-hex new-mode`; `/dev/null` for a missing side), 9 on
//! a rename (`... new-path rename-message`), or 1 for an unmerged path.
//! A roadmap gets a `roadlens: path` heading and its semantic diff (plus the
//! text diff when a side does not parse); any other file a plain unified
//! diff. It exits 0 whatever the files hold: git stops the whole diff on a
//! non-zero exit, so only a broken invocation fails.

use super::diffprint;
use super::error::{CommandError, CommandResult};
use crate::text::sanitize_line;
use clap::Args;

#[derive(Args, Debug)]
pub struct GitDiffArgs {
    /// path old-file old-hex old-mode new-file new-hex new-mode [new-path rename-message]
    #[arg(num_args = 0.., allow_hyphen_values = true)]
    pub args: Vec<String>,
}

pub fn run(args: GitDiffArgs) -> CommandResult {
    let a = &args.args;
    let out = match a.len() {
        1 => Ok(format!("roadlens: {}: unmerged\n", sanitize_line(&a[0]))),
        7 | 9 => {
            let new_path = if a.len() == 9 { &a[7] } else { &a[0] };
            render(&a[0], new_path, &a[1], &a[4], crate::model::today())
        }
        n => {
            return Err(CommandError::usage(format!(
                "expected the 7 arguments git passes to an external diff \
                 (path old-file old-hex old-mode new-file new-hex new-mode), got {n}\n\
                 set it up with: git config diff.roadlens.command 'roadlens git-diff'"
            )));
        }
    };
    // A closed pipe (the pager quit) ends quietly like any other command.
    super::output::print(&out.map_err(CommandError::failed)?)?;
    Ok(super::EXIT_OK)
}

fn read_side(file: &str) -> Result<Option<Vec<u8>>, String> {
    if file == "/dev/null" {
        return Ok(None);
    }
    crate::fsread::read_regular(std::path::Path::new(file), u64::MAX)
        .map(Some)
        .map_err(|e| format!("cannot read {file}: {e}"))
}

/// The driver's output for one file (pure apart from reading the two files).
pub fn render(
    path: &str,
    new_path: &str,
    old_file: &str,
    new_file: &str,
    today: jiff::civil::Date,
) -> Result<String, String> {
    let old = read_side(old_file)?;
    let new = read_side(new_file)?;
    Ok(render_bytes(
        path,
        new_path,
        old.as_deref(),
        new.as_deref(),
        today,
    ))
}

/// [`render`] on the contents.
pub fn render_bytes(
    path: &str,
    new_path: &str,
    old: Option<&[u8]>,
    new: Option<&[u8]>,
    today: jiff::civil::Date,
) -> String {
    let is_roadmap = |b: Option<&[u8]>| b.is_some_and(crate::model::is_roadmap_source);
    let name = |side: Option<&[u8]>, name: String| match side {
        Some(_) => name,
        None => "/dev/null".to_string(),
    };
    let (a_name, b_name) = (
        name(old, format!("a/{path}")),
        name(new, format!("b/{new_path}")),
    );
    let raw = || diffprint::unified(&a_name, &b_name, old, new);
    if !is_roadmap(old) && !is_roadmap(new) {
        let title = if path == new_path {
            sanitize_line(path).into_owned()
        } else {
            format!("{} → {}", sanitize_line(path), sanitize_line(new_path))
        };
        return format!("diff {title}\n{}", raw());
    }
    let mut fd = crate::diff::diff_sources(new_path, old, new, today);
    fd.old_path = Some(path.to_string());
    let mut out = diffprint::file_diff_text(&fd, false, "roadlens: ");
    if fd.status == crate::diff::FileStatus::Unparseable {
        out.push_str(&raw());
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use jiff::civil::date;

    const OLD: &str = "[roadmap]\nid = \"p\"\ntitle = \"P\"\n\n[[release]]\nid = \"v1\"\nname = \"One\"\ntarget = \"2027-Q3\"\n";

    /// The driver's output for `plan.toml` changed from `OLD` to `new`.
    fn plan_diff(new: &str) -> String {
        render_bytes(
            "plan.toml",
            "plan.toml",
            Some(OLD.as_bytes()),
            Some(new.as_bytes()),
            date(2027, 5, 10),
        )
    }

    #[test]
    fn roadmap_gets_a_semantic_diff() {
        let out = plan_diff(&OLD.replace("2027-Q3", "2027-Q4"));
        assert_eq!(
            out,
            "roadlens: plan.toml (1 change)\n  release v1 — One\n    » slipped by 1 quarter: 2027-Q3 → 2027-Q4\n"
        );
    }

    #[test]
    fn broken_side_shows_error_and_text_diff() {
        let out = plan_diff(&OLD.replace("2027-Q3", "2027-Q9"));
        assert!(
            out.starts_with(
                "roadlens: plan.toml (cannot parse)\n  error: new: plan.toml:8:10: invalid date"
            ),
            "{out}"
        );
        assert!(
            out.contains("-target = \"2027-Q3\"\n+target = \"2027-Q9\"\n"),
            "{out}"
        );
    }

    #[test]
    fn other_files_get_a_unified_diff() {
        let out = render_bytes(
            "Cargo.toml",
            "Cargo.toml",
            Some(b"[package]\nname = \"a\"\n"),
            None,
            date(2027, 5, 10),
        );
        assert_eq!(
            out,
            "diff Cargo.toml\n--- a/Cargo.toml\n+++ /dev/null\n@@ -1,2 +0,0 @@\n-[package]\n-name = \"a\"\n"
        );
    }
}
