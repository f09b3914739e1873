//! Builders for in-code roadmaps in the lens unit tests.

use crate::model::{
    DateSpec, Decision, Estimate, Extra, Feature, Meta, Metric, Release, Roadmap, Spans, Theme,
    WorkItem, default_layers,
};
use jiff::civil::date;

pub fn roadmap() -> Roadmap {
    Roadmap {
        path: "test.toml".into(),
        today: date(2027, 5, 10),
        schema: Some(1),
        meta: Meta {
            id: "rm".into(),
            title: "Road Map".into(),
            owner: Some("Owner O".into()),
            vision: Some("Vision V".into()),
            ..Meta::default()
        },
        layers: default_layers(),
        layers_declared: false,
        themes: vec![],
        metrics: vec![],
        releases: vec![],
        features: vec![],
        decisions: vec![],
    }
}

pub fn spec(s: &str) -> DateSpec {
    DateSpec::parse(s).unwrap_or_else(|e| panic!("{e}"))
}

pub fn release(id: &str, target: Option<&str>) -> Release {
    Release {
        id: id.into(),
        name: format!("Release {id}"),
        start: None,
        target: target.map(spec),
        status: None,
        health: None,
        confidence: None,
        summary: None,
        extra: Extra::default(),
        spans: Spans::default(),
    }
}

pub fn feature(id: &str, release: &str) -> Feature {
    Feature {
        id: id.into(),
        title: format!("Feature {id}"),
        release: release.into(),
        themes: vec![],
        status: None,
        health: None,
        commitment: None,
        visibility: None,
        customer_value: None,
        business_value: None,
        depends_on: vec![],
        tags: vec![],
        work: vec![],
        extra: Extra::default(),
        spans: Spans::default(),
    }
}

pub fn work(id: &str, layer: &str, end: Option<&str>, estimate: Option<&str>) -> WorkItem {
    WorkItem {
        id: Some(id.into()),
        layer: layer.into(),
        title: format!("Work {id}"),
        status: None,
        health: None,
        team: None,
        estimate: estimate.map(|e| Estimate::parse(e).unwrap_or_else(|e| panic!("{e}"))),
        estimate_text: estimate.map(str::to_string),
        start: None,
        end: end.map(spec),
        depends_on: vec![],
        interface: None,
        extra: Extra::default(),
        spans: Spans::default(),
    }
}

pub fn theme(id: &str, title: &str) -> Theme {
    Theme {
        id: id.into(),
        title: title.into(),
        outcome: None,
        metric: None,
        extra: Extra::default(),
        spans: Spans::default(),
    }
}

pub fn metric(id: &str) -> Metric {
    Metric {
        id: id.into(),
        name: format!("Metric {id}"),
        unit: Some("%".into()),
        current: Some(50.0),
        target: Some(90.0),
        extra: Extra::default(),
        spans: Spans::default(),
    }
}

pub fn decision(id: &str, layer: &str, area: crate::model::Area) -> Decision {
    Decision {
        id: id.into(),
        layer: layer.into(),
        area,
        title: format!("Decision {id}"),
        status: None,
        choice: None,
        extra: Extra::default(),
        spans: Spans::default(),
    }
}
