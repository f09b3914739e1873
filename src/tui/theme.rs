//! Styles: the terminal's own 16 ANSI colours only, or none at all with
//! `NO_COLOR` (then selection and emphasis use reverse video and bold).

use crate::diff::ChangeKind;
use crate::model::{Health, Status};
use ratatui::style::{Color, Modifier, Style};

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Theme {
    pub color: bool,
}

/// What a piece of text is, so the theme can style it.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Role {
    Plain,
    /// Secondary text: ids, dates, labels.
    Dim,
    /// Section headings.
    Heading,
    /// Titles of entities.
    Title,
    Status(Status),
    Health(Health),
    /// Good news (shipped, on target, added).
    Good,
    /// Bad news (errors, removed, slipped).
    Bad,
    /// Warnings (at risk, open decisions).
    Warn,
    /// Matched characters of a search.
    Match,
    /// Keys in the hint bar and help.
    Key,
    Change(ChangeKind),
}

impl Theme {
    /// Colour unless `NO_COLOR` is set to a non-empty value.
    pub fn from_env() -> Theme {
        Theme {
            color: crate::cli::output::no_color_unset(),
        }
    }

    pub fn plain() -> Theme {
        Theme { color: false }
    }

    fn fg(&self, c: Color) -> Style {
        if self.color {
            Style::new().fg(c)
        } else {
            Style::new()
        }
    }

    pub fn style(&self, role: Role) -> Style {
        let bold = Style::new().add_modifier(Modifier::BOLD);
        match role {
            Role::Plain => Style::new(),
            Role::Dim => {
                if self.color {
                    Style::new().fg(Color::DarkGray)
                } else {
                    Style::new()
                }
            }
            Role::Heading => bold.patch(self.fg(Color::Cyan)),
            Role::Title => bold,
            Role::Status(s) => match s {
                Status::Shipped => self.fg(Color::Green),
                Status::InProgress => self.fg(Color::Blue),
                Status::Planned => Style::new(),
                Status::Deferred | Status::Cancelled => self.fg(Color::DarkGray),
            },
            Role::Health(h) => match h {
                Health::OnTrack => self.fg(Color::Green),
                Health::AtRisk => self.fg(Color::Yellow).add_modifier(Modifier::BOLD),
                Health::OffTrack | Health::Blocked => {
                    self.fg(Color::Red).add_modifier(Modifier::BOLD)
                }
            },
            Role::Good => self.fg(Color::Green),
            Role::Bad => self.fg(Color::Red).add_modifier(Modifier::BOLD),
            Role::Warn => self.fg(Color::Yellow),
            Role::Match => {
                if self.color {
                    Style::new()
                        .fg(Color::Yellow)
                        .add_modifier(Modifier::BOLD | Modifier::UNDERLINED)
                } else {
                    Style::new().add_modifier(Modifier::BOLD | Modifier::UNDERLINED)
                }
            }
            Role::Key => bold.patch(self.fg(Color::Cyan)),
            Role::Change(k) => match k {
                ChangeKind::Added | ChangeKind::PulledIn => self.fg(Color::Green),
                ChangeKind::Removed | ChangeKind::Slipped => {
                    self.fg(Color::Red).add_modifier(Modifier::BOLD)
                }
                ChangeKind::Visibility | ChangeKind::Commitment => {
                    self.fg(Color::Magenta).add_modifier(Modifier::BOLD)
                }
                ChangeKind::Health | ChangeKind::Confidence => self.fg(Color::Yellow),
                ChangeKind::Moved | ChangeKind::Status => self.fg(Color::Blue),
                _ => Style::new(),
            },
        }
    }

    /// The selected row or cell.
    pub fn selected(&self) -> Style {
        if self.color {
            Style::new()
                .fg(Color::Black)
                .bg(Color::Cyan)
                .add_modifier(Modifier::BOLD)
        } else {
            Style::new().add_modifier(Modifier::REVERSED | Modifier::BOLD)
        }
    }

    /// A marked row (the diff base in History).
    pub fn marked(&self) -> Style {
        if self.color {
            Style::new().fg(Color::Magenta).add_modifier(Modifier::BOLD)
        } else {
            Style::new().add_modifier(Modifier::BOLD | Modifier::UNDERLINED)
        }
    }

    /// The header and hint bars.
    pub fn bar(&self) -> Style {
        if self.color {
            Style::new().fg(Color::Black).bg(Color::Gray)
        } else {
            Style::new().add_modifier(Modifier::REVERSED)
        }
    }

    /// The current tab in the tab bar.
    pub fn tab_active(&self) -> Style {
        self.selected()
    }

    /// Borders and rules.
    pub fn border(&self) -> Style {
        self.fg(Color::DarkGray)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn no_color_means_no_colour_at_all() {
        let t = Theme::plain();
        let roles = [
            Role::Plain,
            Role::Dim,
            Role::Heading,
            Role::Title,
            Role::Good,
            Role::Bad,
            Role::Warn,
            Role::Match,
            Role::Key,
            Role::Health(Health::Blocked),
            Role::Status(Status::Shipped),
            Role::Change(ChangeKind::Slipped),
        ];
        let mut styles: Vec<Style> = roles.iter().map(|r| t.style(*r)).collect();
        styles.extend([t.selected(), t.marked(), t.bar(), t.border()]);
        for s in styles {
            assert_eq!(s.fg, None, "{s:?}");
            assert_eq!(s.bg, None, "{s:?}");
        }
        assert!(t.selected().add_modifier.contains(Modifier::REVERSED));
    }

    #[test]
    fn colours_are_ansi_16_only() {
        let t = Theme { color: true };
        for s in [
            t.style(Role::Heading),
            t.style(Role::Health(Health::AtRisk)),
            t.selected(),
            t.bar(),
        ] {
            for c in [s.fg, s.bg].into_iter().flatten() {
                assert!(
                    !matches!(c, Color::Rgb(..) | Color::Indexed(_)),
                    "{c:?} is not one of the 16 ANSI colours"
                );
            }
        }
    }
}
