//! Which lenses show a change (the rules are documented on [`super`]).

use super::ChangeKind;
use std::collections::BTreeSet;

/// What the lens rules need to know about the entity a change belongs to.
pub(super) enum Scope {
    Roadmap,
    /// The layer's id.
    Layer(String),
    Theme,
    Metric,
    /// The layers with work in the release, on either side.
    Release {
        layers: BTreeSet<String>,
    },
    /// Public on the old / new side (`None`: absent there), and the layers
    /// of its work items on either side.
    Feature {
        public_old: Option<bool>,
        public_new: Option<bool>,
        layers: BTreeSet<String>,
    },
    /// The item's layer on either side.
    Work {
        layers: BTreeSet<String>,
    },
    /// The decision's layer on either side.
    Decision {
        layers: BTreeSet<String>,
    },
}

const EXEC: &str = "exec";
const SALES: &str = "sales";
const ENG: &str = "engineering";

fn layer_lenses(out: &mut Vec<String>, layers: &BTreeSet<String>) {
    out.extend(layers.iter().map(|l| format!("layer:{l}")));
}

/// The lenses that show a change of `kind` to `field` of the entity `scope`.
pub(super) fn of(scope: &Scope, kind: ChangeKind, field: Option<&str>) -> Vec<String> {
    let mut out: Vec<String> = vec![];
    match scope {
        Scope::Roadmap | Scope::Theme | Scope::Metric => out.push(EXEC.into()),
        Scope::Layer(id) => {
            out.push(ENG.into());
            out.push(format!("layer:{id}"));
        }
        Scope::Release { layers } => {
            out.push(EXEC.into());
            out.push(ENG.into());
            if matches!(kind, ChangeKind::Slipped | ChangeKind::PulledIn) {
                layer_lenses(&mut out, layers);
            }
        }
        Scope::Feature {
            public_old,
            public_new,
            layers,
        } => {
            out.push(EXEC.into());
            if sales_sees_feature(*public_old, *public_new, kind, field) {
                out.push(SALES.into());
            }
            out.push(ENG.into());
            if kind == ChangeKind::Moved {
                layer_lenses(&mut out, layers);
            }
        }
        Scope::Work { layers } | Scope::Decision { layers } => {
            out.push(ENG.into());
            layer_lenses(&mut out, layers);
        }
    }
    out
}

/// Sales sees a feature's addition, removal, title, customer value,
/// commitment and visibility, and only while the feature is public.
fn sales_sees_feature(
    public_old: Option<bool>,
    public_new: Option<bool>,
    kind: ChangeKind,
    field: Option<&str>,
) -> bool {
    let new_public = public_new == Some(true);
    match kind {
        ChangeKind::Added => new_public,
        ChangeKind::Removed => public_old == Some(true),
        ChangeKind::Visibility => new_public || public_old == Some(true),
        ChangeKind::Renamed | ChangeKind::Commitment => new_public,
        ChangeKind::Changed => new_public && field == Some("customer_value"),
        _ => false,
    }
}
