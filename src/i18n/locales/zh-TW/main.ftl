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
quantity-for = { $product } 的數量
quantity-change = 變更

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
