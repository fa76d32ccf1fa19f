//! Field errors of a submitted form, keyed by field name, for pages that show each error
//! next to its input.

use crate::domain::FieldError;
use crate::i18n::Tr;

#[derive(Debug, Clone, Default)]
pub struct FormErrors {
    errors: Vec<(&'static str, FieldError)>,
}

impl FormErrors {
    pub fn new() -> Self {
        Self::default()
    }

    pub fn add(&mut self, field: &'static str, error: FieldError) {
        if !self.has(field) {
            self.errors.push((field, error));
        }
    }

    /// Keeps the parsed value, or records its error and gives `None`.
    pub fn check<T>(&mut self, field: &'static str, parsed: Result<T, FieldError>) -> Option<T> {
        match parsed {
            Ok(value) => Some(value),
            Err(error) => {
                self.add(field, error);
                None
            }
        }
    }

    pub fn has(&self, field: &str) -> bool {
        self.errors.iter().any(|(f, _)| *f == field)
    }

    pub fn get(&self, field: &str) -> Option<&FieldError> {
        self.errors.iter().find(|(f, _)| *f == field).map(|(_, e)| e)
    }

    /// The translated message for `field`, or an empty string.
    pub fn text(&self, t: &Tr, field: &str) -> String {
        self.get(field).map(|e| t.error(e)).unwrap_or_default()
    }

    /// Every error with its field, in the order found, for the summary at the top of a form
    /// that links to each field (the field's input has the field's name as its id).
    pub fn summary(&self, t: &Tr) -> Vec<(&'static str, String)> {
        self.errors.iter().map(|(field, e)| (*field, t.error(e))).collect()
    }

    pub fn is_empty(&self) -> bool {
        self.errors.is_empty()
    }
}
