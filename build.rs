// Rebuild when a migration, a template or a translation changes: they are embedded in the binary.
fn main() {
    println!("cargo:rerun-if-changed=migrations");
    println!("cargo:rerun-if-changed=templates");
    println!("cargo:rerun-if-changed=src/i18n/locales");
    println!("cargo:rerun-if-changed=data");
}
