//! Go's `text/tabwriter` column layout, which both `kubectl get` (minwidth 6, padding 3) and
//! `kubectl describe` (minwidth 0, padding 2) print through. Cells end at a tab; the text after
//! a line's last tab belongs to no column and is never padded; a column's width is set per
//! block of consecutive lines that have a cell in it, so a line without tabs restarts the
//! alignment below it.

/// A flush's text split into cells, and whether each line ended with a newline.
struct Cells<'a> {
    lines: Vec<Vec<&'a str>>,
    nl: Vec<bool>,
}

pub struct TabWriter {
    min_width: usize,
    padding: usize,
}

impl TabWriter {
    pub const GET: TabWriter = TabWriter {
        min_width: 6,
        padding: 3,
    };
    pub const DESCRIBE: TabWriter = TabWriter {
        min_width: 0,
        padding: 2,
    };

    pub fn format(&self, text: &str) -> String {
        self.format_with(text, None)
    }

    /// Formats one flush of a writer that remembers column widths across flushes (the
    /// `RememberWidths` flag of the tabwriter fork cli-runtime uses, which `kubectl get -w`
    /// sets): a remembered width is a minimum, and a wider cell makes it grow. Rows already
    /// written are not realigned, so a wider row stands out of line with the header above it.
    pub fn format_remembering(&self, text: &str, remembered: &mut Vec<usize>) -> String {
        self.format_with(text, Some(remembered))
    }

    fn format_with(&self, text: &str, mut remembered: Option<&mut Vec<usize>>) -> String {
        let lines: Vec<Vec<&str>> = text
            .split_inclusive('\n')
            .map(|l| l.trim_end_matches('\n').split('\t').collect())
            .collect();
        let ends_with_newline: Vec<bool> = text.split_inclusive('\n').map(|l| l.ends_with('\n')).collect();
        let mut widths = Vec::new();
        let mut out = String::with_capacity(text.len() * 2);
        let cells = Cells {
            lines,
            nl: ends_with_newline,
        };
        self.block(&cells, 0, cells.lines.len(), &mut widths, &mut out, &mut remembered);
        out
    }

    fn block(
        &self,
        cells: &Cells<'_>,
        mut line0: usize,
        line1: usize,
        widths: &mut Vec<usize>,
        out: &mut String,
        remembered: &mut Option<&mut Vec<usize>>,
    ) {
        let (lines, nl) = (&cells.lines, &cells.nl);
        let column = widths.len();
        let mut this = line0;
        while this < line1 {
            if column + 1 >= lines[this].len() {
                this += 1;
                continue;
            }
            self.write_lines(lines, line0, this, widths, out, nl);
            line0 = this;
            let mut width = self.min_width;
            while this < line1 && column + 1 < lines[this].len() {
                width = width.max(lines[this][column].chars().count() + self.padding);
                this += 1;
            }
            if let Some(memo) = remembered.as_deref_mut() {
                if memo.len() <= column {
                    memo.resize(column + 1, 0);
                }
                width = width.max(memo[column]);
                memo[column] = width;
            }
            widths.push(width);
            self.block(cells, line0, this, widths, out, remembered);
            widths.pop();
            line0 = this;
        }
        self.write_lines(lines, line0, line1, widths, out, nl);
    }

    fn write_lines(
        &self,
        lines: &[Vec<&str>],
        from: usize,
        to: usize,
        widths: &[usize],
        out: &mut String,
        nl: &[bool],
    ) {
        for i in from..to {
            let cells = &lines[i];
            for (j, cell) in cells.iter().enumerate() {
                out.push_str(cell);
                if j + 1 < cells.len() && j < widths.len() {
                    let pad = widths[j].saturating_sub(cell.chars().count());
                    out.extend(std::iter::repeat_n(' ', pad));
                }
            }
            if nl[i] {
                out.push('\n');
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn aligns_like_kubectl_get() {
        let t = "NAME\tREADY\tSTATUS\tRESTARTS\tAGE\nprobe-pod\t1/1\tRunning\t0\t21s\n";
        assert_eq!(
            TabWriter::GET.format(t),
            "NAME        READY   STATUS    RESTARTS   AGE\nprobe-pod   1/1     Running   0          21s\n"
        );
    }

    /// The widening case of kubectl's `TestWatchResourceWatchEvents` (pkg/cmd/get/get_test.go),
    /// one flush per line after the first two.
    #[test]
    fn remembered_widths_are_minimums_that_grow() {
        let mut memo = Vec::new();
        let w = TabWriter::GET;
        let mut out = w.format_remembering("TYPE\tNAME\tRSRC\nADDED\tbar\t9\n", &mut memo);
        out.push_str(&w.format_remembering("ADDED\tfoo\t10\n", &mut memo));
        out.push_str(&w.format_remembering("MODIFIED\tfoo\t11\n", &mut memo));
        out.push_str(&w.format_remembering("DELETED\tfoo\t12\n", &mut memo));
        assert_eq!(
            out,
            "TYPE    NAME   RSRC\nADDED   bar    9\nADDED   foo    10\nMODIFIED   foo    11\nDELETED    foo    12\n"
        );
    }

    #[test]
    fn a_line_without_tabs_restarts_alignment() {
        let t = "Name:\tx\nLonger Label:\ty\nContainers:\n  c:\n    Image:\tnginx\n";
        assert_eq!(
            TabWriter::DESCRIBE.format(t),
            "Name:          x\nLonger Label:  y\nContainers:\n  c:\n    Image:  nginx\n"
        );
    }
}
