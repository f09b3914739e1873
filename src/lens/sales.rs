//! The sales lens: only what may be said to customers.
//!
//! A leak is a bug: this module reads exactly these fields of a public,
//! not-cancelled feature — id, title, commitment, customer_value — plus the
//! status (for "available now") and target of its release, coarsened to a
//! quarter. Nothing else of the roadmap reaches a [`SalesView`].

use super::{SalesFeature, SalesGroup, SalesHeader, SalesView, When};
use crate::model::{Commitment, Feature, Release, Roadmap, Status};
use std::collections::HashMap;

/// What the sales lens says for "when" of a shipped feature.
pub const AVAILABLE_NOW: &str = "available now";

/// The sales view of a roadmap.
pub fn sales(r: &Roadmap) -> SalesView {
    let mut groups: Vec<SalesGroup> = Commitment::ALL
        .iter()
        .map(|&c| SalesGroup {
            commitment: c,
            features: vec![],
        })
        .collect();
    let releases: HashMap<&str, &Release> = r
        .releases
        .iter()
        .rev() // the first of duplicate ids wins, as in `Roadmap::release`
        .map(|rel| (rel.id.as_str(), rel))
        .collect();
    // Features in the time order of what the lens says of them (available
    // now, then by period; no date last), file order on ties: never by the
    // exact dates the lens hides.
    let mut shown: Vec<(_, &Feature, Option<When>)> = r
        .features
        .iter()
        .map(|f| (f, releases.get(f.release.as_str()).copied()))
        .filter(|(f, rel)| is_shown(f, *rel))
        .map(|(f, rel)| {
            let when = when(f, rel);
            (when.map(|w| w.sort_key(r.today)), f, when)
        })
        .collect();
    shown.sort_by_key(|x| (x.0.is_none(), x.0));
    for (_, f, when) in shown {
        let c = f.commitment();
        if let Some(g) = groups.iter_mut().find(|g| g.commitment == c) {
            g.features.push(SalesFeature {
                id: f.id.clone(),
                title: f.title.clone(),
                customer_value: f.customer_value.clone(),
                when,
            });
        }
    }
    SalesView {
        roadmap: SalesHeader {
            title: r.meta.title.clone(),
            vision: r.meta.vision.clone(),
        },
        groups,
    }
}

/// Public and not cancelled (nor in a cancelled release).
fn is_shown(f: &Feature, rel: Option<&Release>) -> bool {
    f.is_public()
        && f.status() != Status::Cancelled
        && rel.is_none_or(|rel| rel.status() != Status::Cancelled)
}

/// "available now" when shipped; nothing for exploring; else the release
/// target no finer than a quarter.
fn when(f: &Feature, rel: Option<&Release>) -> Option<When> {
    if f.status() == Status::Shipped || rel.is_some_and(|rel| rel.status() == Status::Shipped) {
        return Some(When::AvailableNow);
    }
    if f.commitment() == Commitment::Exploring {
        return None;
    }
    rel.and_then(|rel| rel.target.as_ref())
        .map(|t| When::Period(t.coarse_quarter()))
}

#[cfg(test)]
mod tests {
    use super::super::testutil::*;
    use super::*;
    use crate::model::{Health, Visibility};

    fn sample() -> Roadmap {
        let mut r = roadmap();
        r.releases = vec![
            release("v1", Some("2027-08-14")),
            release("v2", Some("2028-H1")),
            release("v0", Some("2027-02")),
            release("vx", Some("2027-Q4")),
        ];
        r.releases[0].name = "SECRET-RELEASE-NAME".into();
        r.releases[2].status = Some(Status::Shipped);
        r.releases[3].status = Some(Status::Cancelled);
        let mut a = feature("a", "v1");
        a.commitment = Some(Commitment::Committed);
        a.customer_value = Some("Customers love A".into());
        a.business_value = Some("SECRET-BV".into());
        a.health = Some(Health::Blocked);
        a.work = vec![work("SECRET-WORK", "hardware", Some("2027-06"), Some("9w"))];
        a.work[0].team = Some("SECRET-TEAM".into());
        let mut hidden = feature("hidden", "v1");
        hidden.visibility = Some(Visibility::Internal);
        hidden.title = "SECRET-INTERNAL".into();
        let b = feature("b", "v2"); // commitment absent = planned
        let mut c = feature("c", "v2");
        c.commitment = Some(Commitment::Exploring);
        let mut gone = feature("gone", "v1");
        gone.status = Some(Status::Cancelled);
        let old = feature("old", "v0");
        let mut dead = feature("dead", "vx");
        dead.title = "In a cancelled release".into();
        r.features = vec![a, hidden, b, c, gone, old, dead];
        r
    }

    #[test]
    fn groups_public_features_by_commitment_with_coarse_dates() {
        let v = sales(&sample());
        let groups: Vec<_> = v.groups.iter().map(|g| g.commitment).collect();
        assert_eq!(groups, Commitment::ALL);
        let ids = |i: usize| -> Vec<(&str, Option<String>)> {
            v.groups[i]
                .features
                .iter()
                .map(|f| (f.id.as_str(), f.when.map(|w| w.to_string())))
                .collect()
        };
        assert_eq!(ids(0), [("a", Some("2027-Q3".to_string()))]);
        assert_eq!(
            ids(1),
            [
                ("old", Some(AVAILABLE_NOW.to_string())),
                ("b", Some("2028-H1".to_string()))
            ]
        );
        assert_eq!(ids(2), [("c", None)]);
        assert_eq!(
            v.groups[0].features[0].customer_value.as_deref(),
            Some("Customers love A")
        );
    }

    #[test]
    fn nothing_internal_reaches_the_view() {
        let v = sales(&sample());
        let json = serde_json::to_string(&v).unwrap();
        for secret in ["SECRET", "blocked", "hardware", "9w", "Owner O", "2027-08"] {
            assert!(!json.contains(secret), "{secret} leaked: {json}");
        }
        assert!(json.contains("Vision V"));
    }

    #[test]
    fn always_three_groups_even_when_empty() {
        let v = sales(&roadmap());
        assert_eq!(v.groups.len(), 3);
        assert!(v.groups.iter().all(|g| g.features.is_empty()));
    }

    #[test]
    fn dangling_release_gives_no_date() {
        let mut r = roadmap();
        r.features = vec![feature("f", "nope")];
        let v = sales(&r);
        assert_eq!(v.groups[1].features[0].when, None);
    }
}
