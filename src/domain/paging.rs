//! Page arithmetic shared by every paged list.

/// Page sizes a person can choose; the first is the default.
pub const PAGE_SIZES: [i64; 4] = [25, 50, 100, 200];

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Paging {
    /// 1-based page number, already clamped to the last page.
    pub page: i64,
    pub size: i64,
    pub total: i64,
}

impl Paging {
    /// Clamps a requested page and size to what exists; unknown sizes fall back to the default.
    pub fn new(requested_page: Option<i64>, requested_size: Option<i64>, total: i64) -> Self {
        let size = requested_size
            .filter(|s| PAGE_SIZES.contains(s))
            .unwrap_or(PAGE_SIZES[0]);
        let last = Self::last_page_for(total, size);
        let page = requested_page.unwrap_or(1).clamp(1, last);
        Self { page, size, total }
    }

    fn last_page_for(total: i64, size: i64) -> i64 {
        ((total.max(0) + size - 1) / size).max(1)
    }

    pub fn last_page(&self) -> i64 {
        Self::last_page_for(self.total, self.size)
    }

    pub fn offset(&self) -> i64 {
        (self.page - 1) * self.size
    }

    pub fn has_previous(&self) -> bool {
        self.page > 1
    }

    pub fn has_next(&self) -> bool {
        self.page < self.last_page()
    }

    /// 1-based index of the first and last row shown, for "21–40 of 95".
    pub fn shown_range(&self) -> (i64, i64) {
        if self.total == 0 {
            return (0, 0);
        }
        let first = self.offset() + 1;
        (first, (self.offset() + self.size).min(self.total))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn defaults_to_first_page_and_default_size() {
        let p = Paging::new(None, None, 95);
        assert_eq!((p.page, p.size, p.offset()), (1, 25, 0));
        assert_eq!(p.last_page(), 4);
        assert!(!p.has_previous());
        assert!(p.has_next());
    }

    #[test]
    fn clamps_pages_beyond_the_end_and_unknown_sizes() {
        let p = Paging::new(Some(99), Some(7), 95);
        assert_eq!((p.page, p.size), (4, 25));
        assert_eq!(p.shown_range(), (76, 95));
        assert!(!p.has_next());
    }

    #[test]
    fn empty_list_has_one_page() {
        let p = Paging::new(Some(3), Some(50), 0);
        assert_eq!((p.page, p.last_page(), p.shown_range()), (1, 1, (0, 0)));
    }
}
