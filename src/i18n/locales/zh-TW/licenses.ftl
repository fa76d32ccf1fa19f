## Manage licenses
licenses-selected = 選取的使用者（{ $count }）
licenses-location-label = 為沒有使用位置的選取使用者設定使用位置
licenses-location-hint = 有 { $count } 位選取的使用者沒有使用位置。指派授權需要使用位置；只會設定給取得授權的使用者。
available-licenses = 可用授權
licenses-holders = 選取的 { $selected } 位使用者中有 { $holders } 位擁有
licenses-show-holders = 顯示擁有者
choice-assign = 全部指派
choice-remove = 全部移除
choice-leave = 保持不變
view-service-plans = 檢視服務方案
licenses-buy-label = 要增加的授權數
licenses-bought-kept = 您的選取與選擇都已保留。
licenses-nothing-changed = 沒有做任何變更：
licenses-updated = 授權已更新
licenses-updated-summary = 已變更 { $users } 位使用者：指派 { $assigned } 個授權，移除 { $removed } 個。
licenses-no-change = 沒有使用者的授權有變更。
col-gained = 取得的授權
col-lost = 移除的授權
back-to-users = 回到使用者
err-usage-location-missing = 有 { $count } 位使用者沒有使用位置：{ $users }。請在上方選擇使用位置。
err-conflicting-plans = { $count } 位使用者的服務方案衝突：{ $users }。請關閉其中一個衝突的方案（例如 SharePoint），或移除另一個產品。
activity-licenses_changed = 變更 { $count } 位使用者的授權：{ $changes }
action-licenses_changed = 變更授權
# 活動記錄中單一產品的變更，以及兩項之間的分隔。
activity-change-assign = 指派 { $product }
activity-change-remove = 移除 { $product }
list-separator = ；
