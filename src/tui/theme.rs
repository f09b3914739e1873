//! Styles: the roles and the one palette of [`crate::vocab::style`] as
//! ratatui styles — the terminal's own 16 ANSI colours, or none at all with
//! `NO_COLOR` (then the effects stay: selection and emphasis use reverse
//! video, bold and underline).

pub use crate::vocab::Role;
use ratatui::style::{Color, Modifier, Style};

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Theme {
    pub color: bool,
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

    /// Keep the colours only when colour is on.
    fn colors(&self, s: Style) -> Style {
        if self.color {
            s
        } else {
            Style {
                fg: None,
                bg: None,
                underline_color: None,
                ..s
            }
        }
    }

    /// The style of a role: the palette every printer and view shares.
    pub fn style(&self, role: Role) -> Style {
        self.colors(Style::from(crate::vocab::style(role)))
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

    /// `line` as the selected row draws it: the selection's colours over
    /// every span (a span's own colour, such as in-progress cyan, would
    /// vanish on the selection's background; its glyph and words still say
    /// it).
    pub fn select<'a>(&self, line: ratatui::text::Line<'a>) -> ratatui::text::Line<'a> {
        let sel = self.selected();
        let spans: Vec<_> = line.spans.into_iter().map(|s| s.patch_style(sel)).collect();
        ratatui::text::Line::from(spans)
            .style(line.style.patch(sel))
            .alignment(line.alignment.unwrap_or(ratatui::layout::Alignment::Left))
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
        self.style(Role::Dim)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::diff::ChangeKind;
    use crate::model::{Health, Status};

    /// In-progress is cyan and the selection's background is cyan: on the
    /// selected row every span takes the selection's colours.
    #[test]
    fn the_selected_row_keeps_every_span_readable() {
        let t = Theme { color: true };
        let line = ratatui::text::Line::from(vec![
            ratatui::text::Span::styled("◐ ", t.style(Role::Status(Status::InProgress))),
            ratatui::text::Span::styled("in-progress", t.style(Role::Status(Status::InProgress))),
            ratatui::text::Span::styled(" ▲", t.style(Role::Health(Health::AtRisk))),
        ]);
        let sel = t.select(line);
        for span in &sel.spans {
            assert_eq!(span.style.fg, t.selected().fg, "{span:?}");
            assert_eq!(span.style.bg, t.selected().bg, "{span:?}");
            assert_ne!(span.style.fg, span.style.bg, "{span:?}");
        }
        assert_eq!(
            sel.spans
                .iter()
                .map(|s| s.content.as_ref())
                .collect::<String>(),
            "◐ in-progress ▲"
        );
    }

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
        // Emphasis survives without colour.
        assert!(
            t.style(Role::Match)
                .add_modifier
                .contains(Modifier::UNDERLINED)
        );
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

    #[test]
    fn the_tui_draws_the_shared_palette() {
        let t = Theme { color: true };
        assert_eq!(
            t.style(Role::Status(Status::InProgress)).fg,
            Some(Color::Cyan)
        );
        assert_eq!(
            t.style(Role::Change(ChangeKind::Slipped)),
            Style::new().fg(Color::Red).add_modifier(Modifier::BOLD)
        );
        assert!(t.style(Role::Dim).add_modifier.contains(Modifier::DIM));
    }
}
