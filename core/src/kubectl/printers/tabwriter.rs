//! Go's `text/tabwriter` column layout, which both `kubectl get` (minwidth 6, padding 3) and
//! `kubectl describe` (minwidth 0, padding 2) print through. Cells end at a tab; the text after
//! a line's last tab belongs to no column and is never padded; a column's width is set per
//! block of consecutive lines that have a cell in it, so a line without tabs restarts the
//! alignment below it.

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
        let lines: Vec<Vec<&str>> = text
            .split_inclusive('\n')
            .map(|l| l.trim_end_matches('\n').split('\t').collect())
            .collect();
        let ends_with_newline: Vec<bool> = text.split_inclusive('\n').map(|l| l.ends_with('\n')).collect();
        let mut widths = Vec::new();
        let mut out = String::with_capacity(text.len() * 2);
        self.block(&lines, 0, lines.len(), &mut widths, &mut out, &ends_with_newline);
        out
    }

    fn block(
        &self,
        lines: &[Vec<&str>],
        mut line0: usize,
        line1: usize,
        widths: &mut Vec<usize>,
        out: &mut String,
        nl: &[bool],
    ) {
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
            widths.push(width);
            self.block(lines, line0, this, widths, out, nl);
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

    #[test]
    fn a_line_without_tabs_restarts_alignment() {
        let t = "Name:\tx\nLonger Label:\ty\nContainers:\n  c:\n    Image:\tnginx\n";
        assert_eq!(
            TabWriter::DESCRIBE.format(t),
            "Name:          x\nLonger Label:  y\nContainers:\n  c:\n    Image:  nginx\n"
        );
    }
}
