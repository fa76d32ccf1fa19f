## Layout
skip-to-content = 跳到主要內容
nav-label = 主選單
nav-dashboard = 儀表板
nav-customers = 客戶
nav-activity = 活動記錄
sign-in = 登入
sign-out = 登出
search = 搜尋
cancel = 取消
choose = 請選擇…
all = 全部
created = 建立日期
apply-filter = 套用篩選
form-has-errors = 有些欄位需要修正，請看欄位旁的說明。

## Paging
paging-label = 分頁
paging-first = 第一頁
paging-previous = 上一頁
paging-next = 下一頁
paging-last = 最後一頁
paging-range = 第 { $first }–{ $last } 筆，共 { $total } 筆
paging-page = 第 { $page } 頁，共 { $pages } 頁

## Roles
role-global_admin = 全域系統管理員
role-admin_agent = 系統管理代理人
role-sales_agent = 銷售代理人
role-helpdesk_agent = 技術服務代理人

## Sign-in and account
sign-in-title = 登入 PartnerDesk
sign-in-refused = 電子郵件或密碼錯誤。
sign-in-demo-note = 示範：示範合作夥伴 Northwind IT Services 的員工只需密碼即可登入。以 create-staff 建立的合作夥伴須使用兩步驟驗證（驗證器應用程式或通行金鑰）。
field-email = 電子郵件
field-password = 密碼
change-password = 變更密碼
change-password-forced = 您使用暫時密碼登入。請設定您自己的密碼後再繼續。
field-current-password = 目前的密碼
field-new-password = 新密碼
field-confirm-password = 確認新密碼
password-hint = 至少 12 個字元。由幾個詞組成的句子容易記、也難猜。

## Dashboard
dashboard-customers = 位客戶
dashboard-active-users = 位使用中的使用者
dashboard-licenses = 已指派的授權
dashboard-licenses-of = { $assigned } / { $total }
dashboard-deleted = 位使用者於過去 30 天內刪除
dashboard-recent = 最近的活動
dashboard-all-activity = 查看完整的活動記錄

## Customers
customer-add = 新增客戶
customer-search = 搜尋客戶
customer-none = 目前還沒有客戶。新增第一位客戶開始使用。
customer-none-match = 沒有符合此搜尋的客戶。
customer-initial-domain = 網域
customer-users = 使用者
customer-tabs = 客戶頁面
field-company-name = 公司名稱
field-domains = 網域
field-domains-hint = 每行一個。第一個為初始網域，例如 contoso.onmicrosoft.com。
field-default-usage-location = 預設使用位置
field-domain = 網域
domain-add = 新增網域
domain-initial = 初始網域
tab-users-and-licenses = 使用者和授權
tab-subscriptions = 訂閱
tab-domains = 網域
users-none = 此客戶尚無使用者。

## Subscriptions
subscriptions-none = 此客戶尚無訂閱。
subscription-add = 新增訂閱
field-product = 產品
field-quantity = 數量
assigned = 指派
available = 可用
buy-more = 購買更多

## Field errors
err-required = 此欄位為必填。
err-control-chars = 「{ $value }」含有控制字元，請移除。
err-invisible-char = 「{ $value }」含有看不見的字元 { $char }，它會讓名稱反向顯示或冒充其他名稱；請移除（看不出位置時請重新輸入名稱）。
err-too-long = 太長：{ $count } 個字元，最多 { $max } 個。
err-domain-not-ascii = 網域「{ $value }」：國際化網域名稱請使用 ASCII（xn--）格式。
err-domain-too-long = 網域「{ $value }」超過 { $max } 個字元。
err-domain-one-label = 網域「{ $value }」至少需要兩段，例如 contoso.com。
err-domain-empty-label = 網域「{ $value }」有空白的段落（連續兩個句點，或以句點開頭）。
err-domain-bad-label = 網域「{ $value }」：每一段只能有英文字母、數字和中間的連字號，最後一段不能是數字。
err-domain-repeated = 網域「{ $value }」重複列出。
err-domain-taken = 網域「{ $value }」已屬於某位客戶。一個網域只能屬於一位客戶。
err-country-unknown = 「{ $value }」不是已知的國家或地區，請從清單中選擇。
err-quantity-not-number = 數量「{ $value }」不是整數。
err-quantity-range = 數量 { $value } 超出範圍：請輸入 1 到 { $max }。
err-quantity-below-assigned = 目前已指派 { $assigned } 個授權，數量不能低於 { $assigned }（您輸入 { $value }）。請先移除使用者的授權。
err-product-choose = 請選擇產品。
err-product-already = 此客戶已有 { $product }。請改為變更該訂閱的數量。
err-password-short = 新密碼至少需要 { $min } 個字元。
err-password-is-email = 新密碼不能是您的電子郵件地址。
err-password-unchanged = 新密碼必須與目前的密碼不同。
err-password-mismatch = 兩次輸入的新密碼不一致，請輸入相同的密碼。
err-password-current-wrong = 目前的密碼錯誤。

## Activity log
activity-empty = 目前沒有活動。
activity-own-only = 您只會看到自己的動作。全域系統管理員和系統管理代理人可以看到所有人的動作。
activity-when = 時間
activity-who = 員工
activity-customer = 客戶
activity-action = 動作
activity-what = 詳細資料
activity-outcome = 結果
activity-filter-customer = 客戶
activity-filter-staff = 員工
activity-filter-action = 動作
activity-filter-from = 起始日期
activity-filter-until = 結束日期
outcome-success = 完成
outcome-refused = 已拒絕
activity-sign_in = 已登入
activity-sign_in_failed = 登入遭拒
activity-sign_out = 已登出
activity-password_changed = 變更了自己的密碼
activity-customer_created = 新增客戶 { $company }（{ $domains }）
activity-domain_added = 新增網域 { $domain }
activity-subscription_added = 購買 { $quantity } 個 { $product }
activity-subscription_quantity_changed = 將 { $product } 從 { $from } 個變更為 { $to } 個
activity-staff_created = 建立員工 { $email }
action-sign_in = 登入
action-sign_in_failed = 登入失敗
action-sign_out = 登出
action-password_changed = 變更密碼
action-customer_created = 新增客戶
action-domain_added = 新增網域
action-subscription_added = 購買訂閱
action-subscription_quantity_changed = 變更數量
action-staff_created = 建立員工

## Error pages
error-404-title = 找不到頁面
error-404-text = 這裡沒有內容，或您無權查看。請檢查網址，或回到您的客戶清單。
error-403-title = 不允許此操作
error-403-text = 您的角色不允許此操作。
error-403-roles = 需要下列其中一個角色：
error-csrf-title = 此表單已過期
error-csrf-text = 表單太舊或來自其他網站，因此沒有做任何變更。請返回、重新載入頁面後再試一次。
error-400-title = 要求中有錯誤
error-400-text = 無法讀取送出的內容。沒有做任何變更；請返回再試一次。
error-413-title = 檔案太大
error-413-text = 您送出的內容超過 PartnerDesk 接受的大小。沒有做任何變更。
error-422-title = 請檢查您的輸入
error-422-text = 有些值無法接受。請返回修正。
error-429-title = 登入嘗試次數過多
error-429-text = 從這裡或對此帳戶的嘗試次數過多。請等候 { $seconds } 秒後再試一次。
error-503-busy-title = 目前忙碌中
error-503-busy-text = PartnerDesk 目前正在處理大量登入。沒有做任何變更；請幾秒後再試一次。
error-500-title = 我們這邊發生問題
error-500-text = 沒有任何資料只儲存一半。請稍後再試；如果持續發生，請通知您的系統管理員。
error-503-db-title = 資料庫暫時無法使用
error-503-db-text = PartnerDesk 目前無法連線到資料庫，因此無法顯示或儲存此頁面。請稍候幾秒再試一次；如果持續發生，請通知您的系統管理員。
error-back-dashboard = 回到儀表板
error-back-sign-in = 前往登入
activity-user_created = 新增使用者 { $user }
activity-user_updated = 編輯使用者 { $user }
activity-users_deleted = 刪除 { $count } 位使用者
activity-users_restored = 還原 { $count } 位使用者
activity-user_purged = 永久刪除 { $user }
activity-users_purged = 移除 { $count } 位刪除超過 30 天的使用者
activity-passwords_reset = 重設 { $count } 位使用者的密碼
activity-credentials_emailed = 將 { $users } 位使用者的暫時密碼寄給 { $recipients }
action-user_created = 新增使用者
action-user_updated = 編輯使用者
action-users_deleted = 刪除使用者
action-users_restored = 還原使用者
action-user_purged = 永久刪除使用者
action-users_purged = 清除使用者
action-passwords_reset = 重設密碼
action-credentials_emailed = 寄送密碼

## Account page and its sessions
account-title = 帳戶
account-partner = 合作夥伴
account-sessions = 您登入中的工作階段
account-sessions-hint = 工作階段在登入 8 小時後，或 30 分鐘未使用時結束。登出、變更密碼或角色變更會立即結束工作階段。
col-browser = 瀏覽器
col-signed-in = 登入時間
col-last-seen = 最近使用
account-this-browser = 此瀏覽器
account-unknown-browser = 不明的瀏覽器
account-sign-out-everywhere = 登出所有裝置
account-sign-out-everywhere-hint = 結束此處列出的所有工作階段，包括這一個：使用您工作階段副本的任何人都會被登出。
activity-signed_out_everywhere = 已登出所有裝置（{ $sessions } 個工作階段）
action-signed_out_everywhere = 登出所有裝置

# Two-step verification
security-title = 兩步驟驗證
security-required = 您的合作夥伴要求每次登入都須完成第二個步驟：驗證器應用程式的代碼，或您的一組復原碼。
security-optional = 為登入加上第二個步驟：驗證器應用程式的代碼，或您的一組復原碼。
security-required-now = 您的合作夥伴要求兩步驟驗證。請新增驗證器應用程式以繼續。
security-no-apps = 尚未新增驗證器應用程式。
security-col-added = 新增時間
security-col-last-used = 上次使用
security-remove = 移除
security-add-app = 新增驗證器應用程式
security-scan = 請用驗證器應用程式（Microsoft Authenticator、Google Authenticator、1Password 等）掃描此 QR 代碼，或輸入祕密金鑰。然後輸入應用程式顯示的 6 位數代碼。
security-qr-label = 驗證器應用程式的 QR 代碼
security-secret-key = 祕密金鑰
security-code-hint = 6 位數；每 30 秒更換一次。
security-add = 新增
security-recovery-codes = 復原碼
security-codes-left = 尚有 { $count } 組未使用的復原碼。
security-new-codes = 產生新的復原碼
security-new-codes-hint = 產生十組新的復原碼；舊的將失效。
security-codes-once = 請抄下或列印這些復原碼並妥善保管：驗證器應用程式不在手邊時，每組可讓您登入一次。復原碼只會在此時顯示。
security-codes-done = 我已保存
security-notice-added = 已新增驗證器應用程式。您的其他工作階段已登出。
security-notice-removed = 已移除驗證器應用程式。您的其他工作階段已登出。
field-code = 代碼
verify-title = 兩步驟驗證
verify-hint = 驗證器應用程式的 6 位數代碼，或您的一組復原碼。
verify-button = 驗證
err-code-wrong = 代碼不正確，或已使用過。請輸入應用程式目前顯示的代碼。
err-last-second-factor = 您的合作夥伴要求兩步驟驗證：請先新增另一個驗證器應用程式，再移除這一個。
err-no-second-factor = 請先新增驗證器應用程式。
err-reset-own-factors = 您無法重設自己的兩步驟驗證；請由另一位全域管理員進行。
activity-second_factor_added = { $kind ->
    [passkey] 新增了通行金鑰或安全性金鑰
   *[other] 新增了驗證器應用程式
}
action-second_factor_added = 新增第二因素
activity-second_factor_removed = { $kind ->
    [passkey] 移除了通行金鑰或安全性金鑰
   *[other] 移除了驗證器應用程式
}
action-second_factor_removed = 移除第二因素
activity-second_factor_failed = 兩步驟驗證代碼錯誤
action-second_factor_failed = 第二步驟失敗
activity-recovery_codes_made = 產生了新的復原碼
action-recovery_codes_made = 產生復原碼
activity-recovery_code_used = 以復原碼登入（尚餘 { $left } 組）
action-recovery_code_used = 使用復原碼
activity-second_factors_reset = 重設了 { $email } 的兩步驟驗證
action-second_factors_reset = 重設兩步驟驗證
security-factors = 您的第二因素
security-col-kind = 種類
security-kind-totp = 驗證器應用程式
security-kind-passkey = 通行金鑰或安全金鑰
security-add-passkey = 新增通行金鑰或安全金鑰
security-passkey-explained = 通行金鑰（存於此手機或電腦）或安全金鑰（例如 YubiKey）可讓您輕觸或以指紋登入，無須輸入代碼。
security-passkey-needs-js = 通行金鑰需要瀏覽器啟用 JavaScript：這是登入流程中唯一需要的部分。驗證器應用程式與復原碼不需要 JavaScript。
security-passkey-problem = 瀏覽器未建立或使用通行金鑰（已取消、逾時或不支援）。請再試一次，或改用驗證器應用程式。
verify-passkey-hint = 或使用您的通行金鑰或安全金鑰（需要 JavaScript）。
verify-use-passkey = 使用通行金鑰
err-passkey-failed = 通行金鑰未被接受。請再試一次，或改用代碼。
err-passkeys-unavailable = 此網址無法使用通行金鑰：需要 localhost 或 partnerdesk.example 這類名稱，而非 IP 位址（PARTNERDESK_PUBLIC_URL）。
# 訂閱：「增加授權」是在總數上增加，「變更數量」是設定總數；兩者都需確認。
change-seats = 變更授權數
seats-to-add = 要增加的授權數
add-seats = 增加授權
new-total = 新的總數
change-quantity = 變更數量
seats-now = 目前授權數
seats-confirm-add-title = 為 { $product } 增加授權
seats-confirm-add = 要為 { $product } 增加 { $added } 個授權嗎？客戶將支付 { $total } 個授權的費用，而非 { $current } 個。
seats-confirm-add-button = 增加 { $added } 個授權
seats-confirm-change-title = 變更 { $product } 的數量
seats-confirm-change = 要將 { $product } 從 { $current } 個變更為 { $total } 個授權嗎？客戶將支付 { $total } 個授權的費用。
seats-confirm-change-button = 變更為 { $total } 個授權
err-quantity-unchanged = 數量已經是 { $value }。請輸入不同的總數。
# 變更後的狀態訊息（螢幕閱讀器會朗讀）。
flash-seats-added = 已增加授權：{ $added } × { $product }（現為 { $total }）。
flash-quantity-changed = 已變更數量：{ $product } 現為 { $total }（原為 { $from }）。
flash-subscription-added = 已新增訂閱：{ $count } × { $product }。
flash-customer-added = 已新增客戶 { $name }。
flash-domain-added = 已新增網域 { $domain }。
flash-role-changed = { $email } 的角色已變更為{ $role }。
flash-staff-unlocked = { $email } 可以再次登入。
flash-staff-removed = 已從您的員工中移除 { $email }。
flash-factors-reset = 已重設 { $email } 的第二重驗證。
# 時區：合作夥伴的時區，以及員工自己的時區。
time-zone = 時區
time-zone-partners = 合作夥伴的時區（{ $zone }）
time-zone-hint = 所有日期與時間都會以此時區顯示，並附上與 UTC 的時差。
time-zone-of-partner = 合作夥伴的時區
time-zone-of-partner-hint = 未在帳戶頁面選擇自己時區的員工，都會以此時區看到日期與時間。
err-time-zone-unknown = 「{ $value }」不是清單中的時區。請選擇一個，例如 Asia/Taipei。
flash-time-zone = 日期與時間現在以 { $zone }（{ $offset }）顯示。
activity-partner_time_zone_changed = 將合作夥伴的時區設為 { $time_zone }
action-partner_time_zone_changed = 合作夥伴時區變更
activity-time_zone_changed = { $time_zone ->
    [partner] 改為以合作夥伴的時區檢視時間
   *[other] 改為以 { $time_zone } 檢視時間
}
action-time_zone_changed = 自己的時區變更
# 手機上頁首的選單。
menu = 選單
