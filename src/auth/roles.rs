//! The role matrix of DOMAIN.md, in one place. Every route asks `Role::can` (through
//! `CurrentStaff::require`), so changing who may do what is a change here only.

use serde::{Deserialize, Serialize};

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Role {
    GlobalAdmin,
    AdminAgent,
    SalesAgent,
    HelpdeskAgent,
}

/// Things a staff member may be allowed to do.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Permission {
    /// See customers, users, licenses and subscriptions.
    ViewCustomers,
    /// Add customers, buy subscriptions, change seat quantities ("Buy more").
    ManageCustomers,
    /// Add, edit, delete, restore and import users.
    ManageUsers,
    /// Assign and remove licenses.
    ManageLicenses,
    /// Reset the password of a user without an admin role.
    ResetPasswords,
    /// Reset the password of a user who holds an admin role in their organisation.
    ResetAdminPasswords,
    /// Delete a deleted user for good before the 30 days are over.
    PurgeUsers,
    /// Manage the partner's own staff accounts.
    ManageStaff,
    /// See every staff member's actions in the activity log (others see their own).
    ViewAllActivity,
}

impl Role {
    pub const ALL: [Role; 4] = [
        Role::GlobalAdmin,
        Role::AdminAgent,
        Role::SalesAgent,
        Role::HelpdeskAgent,
    ];

    pub fn can(self, permission: Permission) -> bool {
        use Permission::*;
        use Role::*;
        match permission {
            ViewCustomers => true,
            ResetPasswords => self != SalesAgent,
            ManageCustomers | ManageLicenses => self != HelpdeskAgent,
            ManageUsers | ResetAdminPasswords | ViewAllActivity => matches!(self, GlobalAdmin | AdminAgent),
            PurgeUsers | ManageStaff => self == GlobalAdmin,
        }
    }

    /// The roles that hold `permission`, for the 403 page.
    pub fn holding(permission: Permission) -> Vec<Role> {
        Role::ALL.into_iter().filter(|r| r.can(permission)).collect()
    }

    pub fn as_str(self) -> &'static str {
        match self {
            Role::GlobalAdmin => "global_admin",
            Role::AdminAgent => "admin_agent",
            Role::SalesAgent => "sales_agent",
            Role::HelpdeskAgent => "helpdesk_agent",
        }
    }

    /// Accepts the stored form (`admin_agent`) and the command-line form (`admin-agent`).
    pub fn parse(value: &str) -> Option<Role> {
        let normal = value.trim().to_ascii_lowercase().replace('-', "_");
        Role::ALL.into_iter().find(|r| r.as_str() == normal)
    }

    /// Translation key of the role's name. i18n-key: role-global_admin role-admin_agent role-sales_agent role-helpdesk_agent
    pub fn label_key(self) -> String {
        format!("role-{}", self.as_str())
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use Permission::*;
    use Role::*;

    /// The table of DOMAIN.md "Who is who", row by row.
    #[test]
    fn matches_the_domain_role_matrix() {
        let rows: [(Permission, [bool; 4]); 9] = [
            (ViewCustomers, [true, true, true, true]),
            (ManageCustomers, [true, true, true, false]),
            (ManageUsers, [true, true, false, false]),
            (ManageLicenses, [true, true, true, false]),
            (ResetPasswords, [true, true, false, true]),
            (ResetAdminPasswords, [true, true, false, false]),
            (PurgeUsers, [true, false, false, false]),
            (ManageStaff, [true, false, false, false]),
            (ViewAllActivity, [true, true, false, false]),
        ];
        for (permission, expected) in rows {
            let actual: Vec<bool> = Role::ALL.iter().map(|r| r.can(permission)).collect();
            assert_eq!(actual, expected, "{permission:?}");
        }
    }

    #[test]
    fn parses_both_spellings() {
        assert_eq!(Role::parse("admin-agent"), Some(AdminAgent));
        assert_eq!(Role::parse("helpdesk_agent"), Some(HelpdeskAgent));
        assert_eq!(Role::parse("boss"), None);
    }

    #[test]
    fn lists_roles_holding_a_permission() {
        assert_eq!(Role::holding(ManageUsers), vec![GlobalAdmin, AdminAgent]);
    }
}
