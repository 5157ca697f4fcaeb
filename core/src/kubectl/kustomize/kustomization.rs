//! The `kustomization.yaml` file (sigs.k8s.io/kustomize/api/types/kustomization.go), read
//! strictly as kustomize 5 reads it: an unknown field is `json: unknown field "x"`.

use std::collections::BTreeMap;

use serde::Deserialize;
use serde_json::Value;

/// The file names kustomize looks for, in its order (konfig.RecognizedKustomizationFileNames).
pub const FILE_NAMES: [&str; 3] = ["kustomization.yaml", "kustomization.yml", "Kustomization"];

/// Every field kustomize 5.5 knows. Those Kubeplay does not build are refused by name.
const KNOWN: &[&str] = &[
    "apiVersion",
    "kind",
    "metadata",
    "openapi",
    "namePrefix",
    "nameSuffix",
    "namespace",
    "commonLabels",
    "labels",
    "commonAnnotations",
    "patchesStrategicMerge",
    "patchesJson6902",
    "patches",
    "images",
    "imageTags",
    "replacements",
    "replicas",
    "vars",
    "sortOptions",
    "resources",
    "components",
    "crds",
    "bases",
    "configMapGenerator",
    "secretGenerator",
    "helmGlobals",
    "helmCharts",
    "helmChartInflationGenerator",
    "generatorOptions",
    "configurations",
    "generators",
    "transformers",
    "validators",
    "buildMetadata",
];

/// Fields kustomize knows that need plugins, charts or remote state Kubeplay does not have.
const NOT_BUILT: &[&str] = &[
    "openapi",
    "replacements",
    "vars",
    "components",
    "crds",
    "helmGlobals",
    "helmCharts",
    "helmChartInflationGenerator",
    "configurations",
    "generators",
    "transformers",
    "validators",
];

/// Deprecated fields and what replaces them: kustomize prints a warning for each.
pub const DEPRECATED: &[(&str, &str)] = &[
    ("bases", "resources"),
    ("commonLabels", "labels"),
    ("imageTags", "images"),
    ("patchesJson6902", "patches"),
    ("patchesStrategicMerge", "patches"),
    ("vars", "replacements"),
];

#[derive(Debug, Default, Deserialize)]
#[serde(rename_all = "camelCase", default)]
pub struct Kustomization {
    pub kind: String,
    pub name_prefix: String,
    pub name_suffix: String,
    pub namespace: String,
    pub common_labels: BTreeMap<String, String>,
    pub labels: Vec<Label>,
    pub common_annotations: BTreeMap<String, String>,
    pub patches_strategic_merge: Vec<String>,
    pub patches_json6902: Vec<Patch>,
    pub patches: Vec<Patch>,
    pub images: Vec<Image>,
    pub image_tags: Vec<Image>,
    pub replicas: Vec<Replica>,
    pub sort_options: Option<SortOptions>,
    pub resources: Vec<String>,
    pub bases: Vec<String>,
    pub config_map_generator: Vec<Generator>,
    pub secret_generator: Vec<Generator>,
    pub generator_options: Option<GeneratorOptions>,
    /// Set when the file used deprecated fields, in kustomize's warning order.
    #[serde(skip)]
    pub deprecated: Vec<(&'static str, &'static str)>,
}

#[derive(Debug, Default, Deserialize)]
#[serde(rename_all = "camelCase", default)]
pub struct Label {
    pub pairs: BTreeMap<String, String>,
    pub include_selectors: bool,
    pub include_templates: bool,
}

#[derive(Debug, Default, Deserialize)]
#[serde(rename_all = "camelCase", default)]
pub struct Patch {
    pub path: String,
    pub patch: String,
    pub target: Option<Selector>,
}

/// `types.Selector`: which resources a patch applies to.
#[derive(Debug, Default, Deserialize)]
#[serde(rename_all = "camelCase", default)]
pub struct Selector {
    pub group: String,
    pub version: String,
    pub kind: String,
    pub name: String,
    pub namespace: String,
    pub label_selector: String,
    pub annotation_selector: String,
}

#[derive(Clone, Debug, Default, Deserialize)]
#[serde(rename_all = "camelCase", default)]
pub struct Image {
    pub name: String,
    pub new_name: String,
    pub new_tag: String,
    pub digest: String,
    pub tag_suffix: String,
}

#[derive(Debug, Default, Deserialize)]
#[serde(default)]
pub struct Replica {
    pub name: String,
    pub count: i64,
}

#[derive(Debug, Default, Deserialize)]
#[serde(default)]
pub struct SortOptions {
    pub order: String,
}

#[derive(Debug, Default, Deserialize)]
#[serde(rename_all = "camelCase", default)]
pub struct Generator {
    pub name: String,
    pub namespace: String,
    pub behavior: String,
    pub literals: Vec<String>,
    pub files: Vec<String>,
    pub envs: Vec<String>,
    /// The single-file form older kustomizations use.
    pub env: String,
    pub options: Option<GeneratorOptions>,
    /// Secrets only.
    #[serde(rename = "type")]
    pub type_: String,
}

#[derive(Clone, Debug, Default, Deserialize)]
#[serde(rename_all = "camelCase", default)]
pub struct GeneratorOptions {
    pub labels: BTreeMap<String, String>,
    pub annotations: BTreeMap<String, String>,
    pub disable_name_suffix_hash: bool,
    pub immutable: bool,
}

/// Reads a kustomization from its text; errors are kustomize's, after `invalid Kustomization: `.
pub fn parse(text: &str) -> Result<Kustomization, String> {
    let value = if text.trim().is_empty() {
        Value::Object(Default::default())
    } else {
        crate::api::manifest::to_json(text)?
    };
    let Value::Object(map) = &value else {
        return Err("json: cannot unmarshal string into Go value of type types.Kustomization".into());
    };
    if let Some(unknown) = map.keys().find(|k| !KNOWN.contains(&k.as_str())) {
        return Err(format!("json: unknown field {unknown:?}"));
    }
    if let Some(field) = map.keys().find(|k| NOT_BUILT.contains(&k.as_str())) {
        return Err(format!("Kubeplay does not build the kustomization field {field:?}"));
    }
    let mut k: Kustomization = serde_json::from_value(value.clone()).map_err(|e| format!("json: {e}"))?;
    k.deprecated = DEPRECATED
        .iter()
        .filter(|(old, _)| map.contains_key(*old))
        .copied()
        .collect();
    if !k.kind.is_empty() && k.kind != "Kustomization" {
        return Err(format!("kind should be Kustomization, got {:?}", k.kind));
    }
    Ok(k)
}
