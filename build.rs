// Rebuild when a migration, a template, a translation or a static file changes: they are embedded in the binary.
fn main() {
    println!("cargo:rerun-if-changed=migrations");
    println!("cargo:rerun-if-changed=templates");
    println!("cargo:rerun-if-changed=src/i18n/locales");
    println!("cargo:rerun-if-changed=data");
    println!("cargo:rerun-if-changed=static");
}
