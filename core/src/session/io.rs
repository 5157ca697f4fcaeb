//! What a command reads and writes: its output as ordered stdout/stderr chunks, and the files
//! it may read, supplied by the host (the CLI's disk, the page's editor), so the core itself
//! does no I/O.

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Stream {
    Stdout,
    Stderr,
}

/// A command's output, in the order it was written.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Output {
    pub chunks: Vec<(Stream, String)>,
}

impl Output {
    pub fn out(&mut self, s: impl Into<String>) {
        self.push(Stream::Stdout, s.into());
    }

    pub fn err(&mut self, s: impl Into<String>) {
        self.push(Stream::Stderr, s.into());
    }

    fn push(&mut self, stream: Stream, s: String) {
        if s.is_empty() {
            return;
        }
        match self.chunks.last_mut() {
            Some((last, text)) if *last == stream => text.push_str(&s),
            _ => self.chunks.push((stream, s)),
        }
    }

    pub fn append(&mut self, other: Output) {
        for (s, t) in other.chunks {
            self.push(s, t);
        }
    }

    /// Everything written, both streams interleaved.
    pub fn text(&self) -> String {
        self.chunks.iter().map(|(_, t)| t.as_str()).collect()
    }

    pub fn stdout(&self) -> String {
        self.chunks
            .iter()
            .filter(|(s, _)| *s == Stream::Stdout)
            .map(|(_, t)| t.as_str())
            .collect()
    }
}

#[derive(Clone, Debug, PartialEq)]
pub enum FileError {
    NotFound,
    Other(String),
}

/// Files a session can read: manifests for `kubectl apply -f`, `cat`.
pub trait Files {
    fn read(&self, path: &str) -> Result<String, FileError>;
    /// Entries of a directory (file names), or `None` if `path` is not a directory.
    fn list_dir(&self, path: &str) -> Option<Vec<String>>;
}

/// No files at all.
pub struct NoFiles;

impl Files for NoFiles {
    fn read(&self, _path: &str) -> Result<String, FileError> {
        Err(FileError::NotFound)
    }
    fn list_dir(&self, _path: &str) -> Option<Vec<String>> {
        None
    }
}

/// Files held in memory: the page's editor buffers, tests.
#[derive(Clone, Debug, Default)]
pub struct MemFiles {
    pub files: std::collections::BTreeMap<String, String>,
}

impl MemFiles {
    pub fn insert(&mut self, path: &str, text: &str) {
        self.files
            .insert(path.trim_start_matches("./").to_string(), text.to_string());
    }
}

impl Files for MemFiles {
    fn read(&self, path: &str) -> Result<String, FileError> {
        self.files
            .get(path.trim_start_matches("./"))
            .cloned()
            .ok_or(FileError::NotFound)
    }

    fn list_dir(&self, path: &str) -> Option<Vec<String>> {
        let dir = path.trim_start_matches("./").trim_end_matches('/');
        // A directory exists when some file lies under it; its entries are its own files.
        let prefix = if dir.is_empty() || dir == "." {
            String::new()
        } else {
            format!("{dir}/")
        };
        let mut exists = false;
        let names: Vec<String> = self
            .files
            .keys()
            .filter_map(|k| k.strip_prefix(&prefix))
            .inspect(|_| exists = true)
            .filter(|rest| !rest.contains('/'))
            .map(str::to_string)
            .collect();
        exists.then_some(names)
    }
}
