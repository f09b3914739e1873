//! The style vocabulary: roles, and the one palette they are drawn with.

use crate::diff::ChangeKind;
use crate::model::{Commitment, Health, Status};
use anstyle::{AnsiColor, Effects, Style};

/// What a piece of text is, so every printer and view styles it alike.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash)]
pub enum Role {
    #[default]
    Plain,
    /// Secondary text: ids, dates, labels, rules.
    Dim,
    /// Section headings.
    Heading,
    /// Titles of entities, emphasis.
    Title,
    Status(Status),
    Health(Health),
    Commitment(Commitment),
    /// Good news (shipped, on target, available now, decided).
    Good,
    /// Bad news (errors).
    Bad,
    /// Warnings (open decisions, cross-layer dependencies).
    Warn,
    /// Matched characters of a search.
    Match,
    /// Keys in the hint bar and help.
    Key,
    /// A change of this kind (its marker and sentence).
    Change(ChangeKind),
}

fn fg(c: AnsiColor) -> Style {
    Style::new().fg_color(Some(c.into()))
}

/// The one palette: the terminal's own 16 ANSI colours and text effects.
/// Every colour comes with a glyph or a word (see [`super::words`]), so the
/// text reads the same without it.
pub fn style(role: Role) -> Style {
    let bold = Effects::BOLD;
    match role {
        Role::Plain => Style::new(),
        // An effect, not a colour: bright black is the background colour of
        // some themes (Solarized dark).
        Role::Dim => Style::new().effects(Effects::DIMMED),
        Role::Heading | Role::Key => fg(AnsiColor::Cyan).effects(bold),
        Role::Title => Style::new().effects(bold),
        Role::Good => fg(AnsiColor::Green),
        Role::Bad => fg(AnsiColor::Red).effects(bold),
        Role::Warn => fg(AnsiColor::Yellow),
        Role::Match => fg(AnsiColor::Yellow).effects(bold | Effects::UNDERLINE),
        Role::Status(s) => match s {
            Status::Shipped => fg(AnsiColor::Green),
            Status::InProgress => fg(AnsiColor::Cyan),
            Status::Planned => Style::new(),
            Status::Deferred | Status::Cancelled => Style::new().effects(Effects::DIMMED),
        },
        Role::Health(h) => match h {
            Health::OnTrack => fg(AnsiColor::Green),
            Health::AtRisk => fg(AnsiColor::Yellow).effects(bold),
            Health::OffTrack | Health::Blocked => fg(AnsiColor::Red).effects(bold),
        },
        Role::Commitment(c) => match c {
            Commitment::Committed => fg(AnsiColor::Green).effects(bold),
            Commitment::Planned => fg(AnsiColor::Cyan),
            Commitment::Exploring => Style::new().effects(Effects::DIMMED),
        },
        Role::Change(k) => match k {
            ChangeKind::Added | ChangeKind::PulledIn => fg(AnsiColor::Green),
            ChangeKind::Removed | ChangeKind::Slipped => fg(AnsiColor::Red).effects(bold),
            ChangeKind::Visibility | ChangeKind::Commitment => fg(AnsiColor::Magenta).effects(bold),
            ChangeKind::Health | ChangeKind::Confidence | ChangeKind::CriticalPath => {
                fg(AnsiColor::Yellow)
            }
            ChangeKind::Conflict => fg(AnsiColor::Red),
            ChangeKind::Moved | ChangeKind::Status => fg(AnsiColor::Cyan),
            ChangeKind::Renamed | ChangeKind::Changed | ChangeKind::Dependencies => Style::new(),
        },
    }
}

/// `text` in `role`'s style as ANSI escapes when `color`, else as it is.
pub fn paint(role: Role, text: &str, color: bool) -> String {
    let s = style(role);
    if !color || text.is_empty() || s == Style::new() {
        return text.to_string();
    }
    format!("{}{text}{}", s.render(), s.render_reset())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn every_role() -> Vec<Role> {
        let mut v = vec![
            Role::Plain,
            Role::Dim,
            Role::Heading,
            Role::Title,
            Role::Good,
            Role::Bad,
            Role::Warn,
            Role::Match,
            Role::Key,
        ];
        v.extend(Status::ALL.iter().map(|s| Role::Status(*s)));
        v.extend(Health::ALL.iter().map(|h| Role::Health(*h)));
        v.extend(Commitment::ALL.iter().map(|c| Role::Commitment(*c)));
        v.extend(ChangeKind::ALL.iter().map(|k| Role::Change(*k)));
        v
    }

    #[test]
    fn the_palette_is_the_16_ansi_colours() {
        for r in every_role() {
            let s = style(r);
            for c in [s.get_fg_color(), s.get_bg_color()].into_iter().flatten() {
                assert!(
                    matches!(c, anstyle::Color::Ansi(_)),
                    "{r:?}: {c:?} is not one of the 16 ANSI colours"
                );
            }
        }
    }

    #[test]
    fn in_progress_has_one_colour() {
        assert_eq!(
            style(Role::Status(Status::InProgress)).get_fg_color(),
            Some(AnsiColor::Cyan.into())
        );
    }

    #[test]
    fn paint_writes_ansi_only_when_asked() {
        assert_eq!(
            paint(Role::Change(ChangeKind::Slipped), "slipped", true),
            "\u{1b}[1m\u{1b}[31mslipped\u{1b}[0m"
        );
        assert_eq!(paint(Role::Bad, "x", false), "x");
        assert_eq!(paint(Role::Plain, "x", true), "x");
        assert_eq!(paint(Role::Dim, "x", true), "\u{1b}[2mx\u{1b}[0m");
    }
}
