//! A container's filesystem: a flat map of absolute paths to files. Directories exist
//! implicitly as prefixes. Small on purpose: containers here run programs in virtual time, not
//! binaries, so files are what those programs read and write.

use std::collections::BTreeMap;

#[derive(Clone, Debug, Default, PartialEq)]
pub struct Fs {
    files: BTreeMap<String, String>,
    dirs: std::collections::BTreeSet<String>,
}

/// `a/./b/../c` → `/a/c`, relative paths taken from `/`.
pub fn normalize(path: &str) -> String {
    let mut parts: Vec<&str> = Vec::new();
    for p in path.split('/') {
        match p {
            "" | "." => {}
            ".." => {
                parts.pop();
            }
            p => parts.push(p),
        }
    }
    format!("/{}", parts.join("/"))
}

impl Fs {
    pub fn write(&mut self, path: &str, content: &str) {
        let p = normalize(path);
        self.add_parents(&p);
        self.files.insert(p, content.to_string());
    }

    pub fn append(&mut self, path: &str, content: &str) {
        let p = normalize(path);
        self.add_parents(&p);
        self.files.entry(p).or_default().push_str(content);
    }

    fn add_parents(&mut self, p: &str) {
        let mut cur = String::new();
        let parts: Vec<&str> = p.split('/').filter(|s| !s.is_empty()).collect();
        for part in parts.iter().take(parts.len().saturating_sub(1)) {
            cur.push('/');
            cur.push_str(part);
            self.dirs.insert(cur.clone());
        }
    }

    pub fn mkdir(&mut self, path: &str) {
        let p = normalize(path);
        self.add_parents(&format!("{p}/x"));
    }

    pub fn read(&self, path: &str) -> Option<&str> {
        self.files.get(&normalize(path)).map(String::as_str)
    }

    pub fn exists(&self, path: &str) -> bool {
        let p = normalize(path);
        p == "/" || self.files.contains_key(&p) || self.dirs.contains(&p)
    }

    pub fn is_dir(&self, path: &str) -> bool {
        let p = normalize(path);
        p == "/" || self.dirs.contains(&p)
    }

    pub fn remove(&mut self, path: &str) -> bool {
        self.files.remove(&normalize(path)).is_some()
    }

    /// Names directly inside a directory, sorted.
    pub fn list(&self, dir: &str) -> Vec<String> {
        let d = normalize(dir);
        let prefix = if d == "/" { "/".to_string() } else { format!("{d}/") };
        let mut out: Vec<String> = self
            .files
            .keys()
            .chain(self.dirs.iter())
            .filter_map(|p| p.strip_prefix(&prefix))
            .filter(|rest| !rest.is_empty() && !rest.contains('/'))
            .map(str::to_string)
            .collect();
        out.sort();
        out.dedup();
        out
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn files_and_dirs() {
        let mut fs = Fs::default();
        fs.write("/usr/share/nginx/html/index.html", "hi");
        assert!(fs.is_dir("/usr/share"));
        assert_eq!(fs.read("/usr/share/nginx/./html/index.html"), Some("hi"));
        fs.append("/logs/a.log", "x\n");
        fs.append("/logs/a.log", "y\n");
        assert_eq!(fs.read("/logs/a.log"), Some("x\ny\n"));
        assert_eq!(fs.list("/usr/share/nginx/html"), ["index.html"]);
    }
}
