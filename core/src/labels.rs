//! Label selectors, the one matcher behind every selection (k8s.io/apimachinery/pkg/labels):
//! `kubectl -l` strings (`a=b`, `a==b`, `a!=b`, `a`, `!a`, `a in (x,y)`, `a notin (x)`,
//! comma-separated and ANDed), a workload's `LabelSelector`, and a node affinity's
//! `NodeSelectorRequirement`s, which add `Gt` and `Lt`.

use std::collections::BTreeMap;

use k8s_openapi::api::core::v1::NodeSelectorRequirement;
use k8s_openapi::apimachinery::pkg::apis::meta::v1::LabelSelector;

#[derive(Clone, Debug, PartialEq)]
enum Req {
    Eq(String, String),
    Ne(String, String),
    Exists(String),
    NotExists(String),
    In(String, Vec<String>),
    NotIn(String, Vec<String>),
    Gt(String, i64),
    Lt(String, i64),
    /// An operator the API does not know: matches nothing.
    Never,
}

/// One node selector requirement against a label set, without building a selector: the
/// scheduler and the DaemonSet controller ask this for every node.
pub fn requirement_matches(r: &NodeSelectorRequirement, labels: &BTreeMap<String, String>) -> bool {
    let values = r.values.as_deref().unwrap_or(&[]);
    let have = labels.get(&r.key);
    let number = |v: Option<&String>| v.and_then(|v| v.parse::<i64>().ok());
    match r.operator.as_str() {
        "In" => have.is_some_and(|v| values.contains(v)),
        "NotIn" => have.is_none_or(|v| !values.contains(v)),
        "Exists" => have.is_some(),
        "DoesNotExist" => have.is_none(),
        "Gt" => matches!((number(have), number(values.first())), (Some(h), Some(w)) if h > w),
        "Lt" => matches!((number(have), number(values.first())), (Some(h), Some(w)) if h < w),
        _ => false,
    }
}

impl Req {
    fn from_operator(key: &str, op: &str, values: &[String]) -> Req {
        let key = key.to_string();
        let number = || values.first().and_then(|v| v.parse::<i64>().ok());
        match op {
            "In" => Req::In(key, values.to_vec()),
            "NotIn" => Req::NotIn(key, values.to_vec()),
            "Exists" => Req::Exists(key),
            "DoesNotExist" => Req::NotExists(key),
            "Gt" => number().map_or(Req::Never, |n| Req::Gt(key, n)),
            "Lt" => number().map_or(Req::Never, |n| Req::Lt(key, n)),
            _ => Req::Never,
        }
    }
}

#[derive(Clone, Debug, Default, PartialEq)]
pub struct Selector(Vec<Req>);

/// Splits at commas outside parentheses.
fn split_top(s: &str) -> Vec<String> {
    let mut out = Vec::new();
    let mut depth = 0;
    let mut cur = String::new();
    for c in s.chars() {
        match c {
            '(' => depth += 1,
            ')' => depth -= 1,
            ',' if depth == 0 => {
                out.push(std::mem::take(&mut cur));
                continue;
            }
            _ => {}
        }
        cur.push(c);
    }
    out.push(cur);
    out
}

impl Selector {
    pub fn parse(s: &str) -> Result<Selector, String> {
        let mut reqs = Vec::new();
        for part in split_top(s) {
            let p = part.trim();
            if p.is_empty() {
                continue;
            }
            let set = |rest: &str| -> Result<Vec<String>, String> {
                let rest = rest.trim();
                let Some(open) = rest.strip_prefix('(') else {
                    return Err(format!("unable to parse requirement: found '{rest}', expected: '('"));
                };
                let inner = open
                    .strip_suffix(')')
                    .ok_or("unable to parse requirement: found '', expected: ')'")?;
                Ok(inner.split(',').map(|v| v.trim().to_string()).collect())
            };
            let req = if let Some((k, v)) = p.split_once("!=") {
                Req::Ne(k.trim().into(), v.trim().into())
            } else if let Some((k, v)) = p.split_once("==") {
                Req::Eq(k.trim().into(), v.trim().into())
            } else if let Some((k, v)) = p.split_once('=') {
                Req::Eq(k.trim().into(), v.trim().into())
            } else if let Some((k, rest)) = p.split_once(" notin ") {
                Req::NotIn(k.trim().into(), set(rest)?)
            } else if let Some((k, rest)) = p.split_once(" in ") {
                Req::In(k.trim().into(), set(rest)?)
            } else if let Some(k) = p.strip_prefix('!') {
                Req::NotExists(k.trim().into())
            } else if p.contains(' ') || p.contains('(') {
                return Err(format!("unable to parse requirement: {p}"));
            } else {
                Req::Exists(p.into())
            };
            reqs.push(req);
        }
        Ok(Selector(reqs))
    }

    /// `metav1.ParseToLabelSelector`: equalities become matchLabels, set and existence
    /// requirements matchExpressions (values sorted) in the order written; `!=` has no
    /// LabelSelector form.
    pub fn to_label_selector(&self) -> Result<LabelSelector, String> {
        use k8s_openapi::apimachinery::pkg::apis::meta::v1::LabelSelectorRequirement;
        let mut labels = BTreeMap::new();
        let mut exprs = Vec::new();
        let expr = |key: &str, op: &str, values: Option<Vec<String>>| LabelSelectorRequirement {
            key: key.to_string(),
            operator: op.to_string(),
            values,
        };
        for r in &self.0 {
            match r {
                Req::Eq(k, v) => {
                    labels.insert(k.clone(), v.clone());
                }
                Req::Ne(..) => return Err("\"!=\" is not a valid label selector operator".into()),
                Req::In(k, v) | Req::NotIn(k, v) => {
                    let mut v = v.clone();
                    v.sort();
                    v.dedup();
                    let op = if matches!(r, Req::In(..)) { "In" } else { "NotIn" };
                    exprs.push(expr(k, op, Some(v)));
                }
                Req::Exists(k) => exprs.push(expr(k, "Exists", None)),
                Req::NotExists(k) => exprs.push(expr(k, "DoesNotExist", None)),
                Req::Gt(..) | Req::Lt(..) | Req::Never => {}
            }
        }
        Ok(LabelSelector {
            match_labels: (!labels.is_empty()).then_some(labels),
            match_expressions: (!exprs.is_empty()).then_some(exprs),
        })
    }

    /// A workload's selector: matchLabels and matchExpressions, ANDed. An empty selector
    /// matches everything (callers that forbid it check first).
    pub fn from_label_selector(s: &LabelSelector) -> Selector {
        let mut reqs: Vec<Req> = s
            .match_labels
            .iter()
            .flatten()
            .map(|(k, v)| Req::Eq(k.clone(), v.clone()))
            .collect();
        for e in s.match_expressions.iter().flatten() {
            reqs.push(Req::from_operator(
                &e.key,
                &e.operator,
                e.values.as_deref().unwrap_or(&[]),
            ));
        }
        Selector(reqs)
    }

    /// The requirements of one node selector term, ANDed.
    pub fn from_node_requirements(rs: &[NodeSelectorRequirement]) -> Selector {
        Selector(
            rs.iter()
                .map(|r| Req::from_operator(&r.key, &r.operator, r.values.as_deref().unwrap_or(&[])))
                .collect(),
        )
    }

    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }

    pub fn matches(&self, labels: &BTreeMap<String, String>) -> bool {
        self.0.iter().all(|r| match r {
            Req::Eq(k, v) => labels.get(k) == Some(v),
            Req::Ne(k, v) => labels.get(k) != Some(v),
            Req::Exists(k) => labels.contains_key(k),
            Req::NotExists(k) => !labels.contains_key(k),
            Req::In(k, vs) => labels.get(k).is_some_and(|v| vs.contains(v)),
            Req::NotIn(k, vs) => labels.get(k).is_none_or(|v| !vs.contains(v)),
            Req::Gt(k, n) => labels
                .get(k)
                .and_then(|v| v.parse::<i64>().ok())
                .is_some_and(|v| v > *n),
            Req::Lt(k, n) => labels
                .get(k)
                .and_then(|v| v.parse::<i64>().ok())
                .is_some_and(|v| v < *n),
            Req::Never => false,
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn requirements() {
        let l: BTreeMap<String, String> = [
            ("app".to_string(), "web".to_string()),
            ("tier".to_string(), "fe".to_string()),
        ]
        .into();
        assert!(Selector::parse("app=web").unwrap().matches(&l));
        assert!(Selector::parse("app=web,tier!=be").unwrap().matches(&l));
        assert!(Selector::parse("app in (web,db)").unwrap().matches(&l));
        assert!(!Selector::parse("!app").unwrap().matches(&l));
        assert!(Selector::parse("env notin (prod)").unwrap().matches(&l));
    }
}
