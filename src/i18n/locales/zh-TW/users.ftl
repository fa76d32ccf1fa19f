## Users and licenses screen
users-tab-users = 使用者
users-tab-deleted = 刪除的使用者（{ $count }）
deleted-users = 刪除的使用者
add-user = 新增使用者
add-another-user = 新增其他使用者
import-users = 匯入使用者
save = 儲存
users-filter = 篩選使用者依據
users-search = 搜尋使用者
page-size = 每頁使用者數
filter-all = 所有使用者
filter-licensed = 已授權的使用者
filter-unlicensed = 未授權的使用者
filter-has = 擁有 { $product }
filter-lacks = 沒有 { $product }
filter-admins = 具有系統管理員角色的使用者
filter-blocked = 已封鎖登入
users-none-match = 沒有符合此篩選條件的使用者。
select = 選取
select-page = 選取此頁的所有使用者
select-user = 選取 { $name }
select-all-matching = 選取全部 { $count } 位符合條件的使用者
manage-licenses = 管理授權
reset-password = 重設密碼
delete-user-account = 刪除使用者帳戶
col-display-name = 顯示名稱
col-first-name = 名字
col-last-name = 姓氏
col-user-name = 使用者名稱
col-licenses = 授權
col-usage-location = 使用位置
col-temporary-password = 暫時密碼
col-status-update = 狀態更新
col-deleted-on = 刪除日期
col-deleted-by = 刪除者
col-days-left = 剩餘可還原天數
badge-blocked = 已封鎖登入
badge-admin = 系統管理員
unlicensed = 沒有授權
changed = 變更日期
notice-deleted = 已刪除 { $count } 位使用者。30 天內可從「刪除的使用者」還原。
notice-none-selected = 請先選取至少一位使用者。
notice-updated = 已儲存變更。

## Add and edit
field-org-role = 角色
field-sign-in-blocked = 封鎖登入
user-name-hint = 可使用英文字母、數字及 ' . - _ ! # ^ ~；開頭、@ 前面不可有句點，也不可連續兩個句點。
assign-licenses = 指派授權
available-licenses-count = （可用 { $count } 個）
no-subscriptions-to-assign = 此客戶尚無訂閱。
add-another-status = 本次已新增 { $count } 位使用者。完成時會顯示他們的暫時密碼。
finish-run = 完成並顯示密碼
edit-user = 編輯使用者
user-is-deleted = 此使用者已刪除。
org-role-user = 可以使用授權與服務
org-role-global_admin = 全域系統管理員
org-role-user_admin = 使用者系統管理員
org-role-helpdesk_admin = 技術服務系統管理員
org-role-billing_admin = 計費系統管理員

## Confirmations
confirm-delete = 要刪除這 { $count } 位使用者嗎？其授權會立即釋出；30 天內還原時會一併恢復。
confirm-reset = 要為這 { $count } 位使用者產生新的暫時密碼嗎？舊密碼會立即失效。
and-more = 還有 { $count } 位

## Deleted users
deleted-hint = 刪除的使用者可在 30 天內還原，之後將永久移除。
deleted-none = 沒有可還原的已刪除使用者。
restore = 還原
delete-permanently = 永久刪除
delete-permanently-hint = 此動作無法復原。請輸入使用者名稱以確認。
purge-type-name = 輸入 { $user } 以永久刪除
restore-as-title = 以新的使用者名稱還原
restore-as-text = 目前已有使用中的使用者使用 { $user } 這個名稱。請選擇其他使用者名稱來還原此使用者。
restore-as-new-name = 新的使用者名稱

## Credentials page
temporary-passwords = 暫時密碼
credentials-title-add = 新使用者及其暫時密碼
credentials-title-reset = 新的暫時密碼
credentials-title-restore = 還原的使用者及其暫時密碼
credentials-title-import = 匯入的使用者及其暫時密碼
credentials-count = { $count } 位使用者
credentials-expire = 這些密碼只會顯示給您，直到 { $time }（{ $minutes } 分鐘後到期）。請現在列印、下載或以電子郵件傳送。
credentials-all-in-download = 下載的檔案包含所有使用者。
credentials-dismiss = 完成：清除這些密碼
credentials-gone-title = 這些密碼已無法再取得
credentials-gone-text = 暫時密碼只保留一小時，只提供給產生密碼的員工，且在清除後即刪除。若仍有人需要密碼，請再次重設密碼。
print = 列印
print-hint = 若要列印，請使用瀏覽器的列印命令（Ctrl+P）。只會列印清單。
download-csv = 下載 .csv
email = 電子郵件
email-recipients = 電子郵件地址
email-recipients-hint = 多個地址請以逗號分隔。清單會以純文字寄出。
mail-sent = 已將清單寄送至 { $count } 個地址。
mail-failed = 無法寄出電子郵件。資料沒有遺失：密碼仍在此頁。請再試一次，或改為列印或下載。
mail-credentials-subject = { $customer } 的暫時密碼
mail-credentials-intro = 以下是 { $customer } 的使用者名稱與暫時密碼。每位使用者首次登入時都必須設定新密碼。
mail-credentials-outro = 由 PartnerDesk 寄出。
note-license-not-restored = { $user } 的 { $product } 未還原：沒有可用的授權。
note-name-clash = { $user } 未還原：目前已有使用中的使用者使用此使用者名稱。

## Errors
err-user-name-no-at = 使用者名稱「{ $value }」需要 @ 和網域。
err-user-name-bad-char = 使用者名稱「{ $value }」：不允許「{ $char }」。請使用英文字母、數字及 ' . - _ ! # ^ ~。
err-user-name-leading-period = 使用者名稱「{ $value }」不可以句點開頭。
err-user-name-double-period = 使用者名稱「{ $value }」：有連續兩個句點。
err-user-name-period-before-at = 使用者名稱「{ $value }」：@ 前面不可有句點。
err-user-name-alias-long = 使用者名稱「{ $value }」：@ 前面最多 { $max } 個字元。
err-user-name-domain-long = 使用者名稱「{ $value }」：@ 後面最多 { $max } 個字元。
err-user-name-long = 使用者名稱「{ $value }」超過 { $max } 個字元。
err-user-name-unknown-domain = 使用者名稱「{ $value }」：{ $domain } 不是此客戶的網域。
err-user-name-taken = 使用者名稱「{ $value }」已被此客戶的其他使用者使用。
err-org-role-unknown = 「{ $value }」不是有效的角色。
err-not-enough-licenses = { $product } 的授權不足：需要 { $needed } 個，可用 { $available } 個。
err-usage-location-needed = 請選擇使用位置：無法將授權指派給沒有使用位置的使用者。
err-usage-location-licensed = 此使用者有授權，因此必須有使用位置。
err-confirm-user-name = 請正確輸入使用者名稱（{ $value }）以永久刪除。
err-email-invalid = 「{ $value }」不是電子郵件地址。
err-email-too-many = 一次最多 { $max } 個地址。
confirm-all-matching = 您選取的是符合篩選與搜尋條件的全部 { $count } 位使用者，而不只是此頁的列。
all-matching-selected = 已選取全部 { $count } 位符合條件的使用者
clear-selection = 清除選取
# 回到原本的清單位置：「回到使用者（陳 · 已授權的使用者 · 第 2 頁）」。
back-to-users-at = 回到使用者（{ $place }）
back-to-deleted = 回到刪除的使用者
back-to-deleted-at = 回到刪除的使用者（{ $place }）
back-page = 第 { $page } 頁
user-saved = 已儲存{ $name }的變更。
notice-forgotten = 完成。暫時密碼已不再顯示於任何地方。
# 認證 .csv 的「狀態更新」欄。
credential-status-created = 已建立
credential-status-password-reset = 已重設密碼
credential-status-restored = 已還原
# 同一行的標籤與值，例如認證郵件中的「使用者名稱：anna@contoso.com」。
label-value = { $label }：{ $value }
# 標籤後的冒號（其後的值另有標記）。
label-colon = ：
# 認證交付：列印所有使用者（清單或逐人紙條），以及複製密碼。
print-slips = 列印紙條
print-as-list = 以清單列印
print-view-hint = 此清單的所有使用者，可直接列印。若列印對話方塊沒有開啟，請使用瀏覽器的列印命令（Ctrl+P）。
credentials-back-to-sheet = 回到暫時密碼
slip-change-at-first-sign-in = 請以此暫時密碼登入，登入後會立即設定您自己的密碼。
copy = 複製
copied = 已複製
copy-password-of = 複製 { $user } 的密碼
skip-to-users = 跳到使用者清單
