//! A container's filesystem: a flat map of absolute paths to files. Directories exist
//! implicitly as prefixes. Small on purpose: containers here run programs in virtual time, not
//! binaries, so files are what those programs read and write.

#![cfg_attr(not(test), deny(clippy::arithmetic_side_effects))]

use std::collections::BTreeMap;

#[derive(Clone, Debug, Default, PartialEq)]
pub struct Fs {
    files: BTreeMap<String, String>,
    dirs: std::collections::BTreeSet<String>,
    /// Bytes held by all files, kept up to date so a full disk is seen at once.
    bytes: usize,
}

/// What a container's writable layer may hold. A node's disk is finite: past this, writes fail
/// with `No space left on device`, so a script that doubles a file forever stops there instead
/// of exhausting the page's memory.
pub const MAX_FS_BYTES: usize = 16 << 20;

/// A write that did not fit.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct NoSpace;

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
    /// Replaces a file's content; refused when the disk would be over [`MAX_FS_BYTES`].
    pub fn write(&mut self, path: &str, content: &str) -> Result<(), NoSpace> {
        let p = normalize(path);
        let old = self.files.get(&p).map_or(0, String::len);
        let bytes = self.bytes.saturating_sub(old).saturating_add(content.len());
        if bytes > MAX_FS_BYTES {
            return Err(NoSpace);
        }
        self.add_parents(&p);
        self.bytes = bytes;
        self.files.insert(p, content.to_string());
        Ok(())
    }

    /// Appends to a file; refused when the disk would be over [`MAX_FS_BYTES`].
    pub fn append(&mut self, path: &str, content: &str) -> Result<(), NoSpace> {
        let bytes = self.bytes.saturating_add(content.len());
        if bytes > MAX_FS_BYTES {
            return Err(NoSpace);
        }
        let p = normalize(path);
        self.add_parents(&p);
        self.bytes = bytes;
        self.files.entry(p).or_default().push_str(content);
        Ok(())
    }

    /// Bytes held by all files.
    pub fn bytes(&self) -> usize {
        self.bytes
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
        match self.files.remove(&normalize(path)) {
            Some(old) => {
                self.bytes = self.bytes.saturating_sub(old.len());
                true
            }
            None => false,
        }
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
        fs.write("/usr/share/nginx/html/index.html", "hi").unwrap();
        assert!(fs.is_dir("/usr/share"));
        assert_eq!(fs.read("/usr/share/nginx/./html/index.html"), Some("hi"));
        fs.append("/logs/a.log", "x\n").unwrap();
        fs.append("/logs/a.log", "y\n").unwrap();
        assert_eq!(fs.read("/logs/a.log"), Some("x\ny\n"));
        assert_eq!(fs.list("/usr/share/nginx/html"), ["index.html"]);
        assert_eq!(fs.bytes(), 6);
        fs.remove("/logs/a.log");
        assert_eq!(fs.bytes(), 2);
    }

    #[test]
    fn a_full_disk_refuses_writes() {
        let mut fs = Fs::default();
        let big = "x".repeat(MAX_FS_BYTES / 2);
        fs.write("/a", &big).unwrap();
        fs.append("/a", &big).unwrap();
        assert_eq!(fs.append("/a", "y"), Err(NoSpace));
        assert_eq!(fs.write("/b", "y"), Err(NoSpace));
        fs.write("/a", "small").unwrap();
        assert_eq!(fs.bytes(), 5);
    }
}
