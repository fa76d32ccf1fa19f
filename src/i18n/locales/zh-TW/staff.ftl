nav-staff = 員工
staff-created = { $email } 現在可以使用此暫時密碼登入，首次登入時必須設定自己的密碼。此密碼只會顯示這一次。
staff-created-hint = 請當面或以電話告知，不要以電子郵件傳送。
staff-state = 狀態
staff-locked = 因登入失敗而鎖定
staff-temporary = 尚未登入
staff-active = 使用中
staff-role-of = { $email } 的角色
staff-change-role = 變更
staff-email-hint = 在整個 PartnerDesk 系統中，一個電子郵件只能屬於一個員工帳戶，不只是在本合作夥伴內：其他合作夥伴的員工已使用的地址，無法在此新增。
staff-add = 新增員工
err-staff-email-taken = 已有員工使用電子郵件 { $value }（在本合作夥伴或其他合作夥伴）：電子郵件在整個 PartnerDesk 系統中不得重複，不只是在合作夥伴內。請改用其他地址。
err-last-global-admin = 合作夥伴至少需要一位全域系統管理員；請先將其他人設為全域系統管理員。
activity-staff_role_changed = 將 { $email } 的角色變更為 { $role }
action-staff_role_changed = 變更員工角色
staff-unlock = 解除鎖定
staff-unlock-of = 解除 { $email } 的鎖定
activity-staff_unlocked = 已解除 { $email } 的登入鎖定（鎖定期間拒絕了 { $refused } 次嘗試）
action-staff_unlocked = 已解除員工鎖定
staff-remove = 移除
staff-remove-of = 移除 { $email }
staff-remove-explained = 對方會立即在所有裝置上登出，且無法再登入。其活動記錄會保留，其電子郵件可再指派給新的員工。
err-staff-remove-self = 您無法移除自己；請由另一位全域管理員移除。
activity-staff_removed = 已移除員工 { $email }
action-staff_removed = 已移除員工
staff-reset-factors = 重設兩步驟驗證
staff-reset-factors-of = 重設 { $email } 的兩步驟驗證
staff-reset-factors-explained = 對方的驗證器應用程式與復原碼將被移除，並立即在所有裝置上登出。下次登入時須再新增驗證器應用程式（若您的合作夥伴要求）。
staff-require-second-factor = 每位員工都須以第二因素登入
staff-require-second-factor-hint = 開啟：沒有驗證器應用程式或通行金鑰的員工必須先新增，才能進行其他操作。關閉：由各員工自行選擇。Partner Center 要求每個合作夥伴帳戶都須使用。
activity-second_factor_requirement_changed = { $required ->
    [true] 要求每位員工使用兩步驟驗證
   *[other] 將兩步驟驗證改為選用
}
action-second_factor_requirement_changed = 兩步驟驗證要求
