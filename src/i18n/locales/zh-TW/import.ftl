## Import users from .csv: reading the file

import-err-empty = 檔案是空的。請下載範本，填寫後再上傳。
import-err-not-text = 這不是 .csv 檔案；請在 Excel 中使用「另存新檔」，選擇「CSV UTF-8」
import-err-malformed = 檔案第 { $line } 行不是有效的 { $encoding } 編碼。請選擇檔案的編碼，或在 Excel 中使用「另存新檔」，選擇「CSV UTF-8」。
import-err-unsupported-encoding = 此檔案似乎使用 { $encoding } 編碼，PartnerDesk 無法讀取。如果您知道檔案的編碼，請選擇該編碼；否則請在 Excel 中使用「另存新檔」，選擇「CSV UTF-8」。
import-err-encoding-unknown = 不明的編碼「{ $value }」，請從清單中選擇。
import-err-missing-columns = 第一列需要{ $columns ->
        [display_name]「顯示名稱」欄
        [user_name]「使用者名稱」欄
       *[both]「顯示名稱」和「使用者名稱」欄
    }（目前的欄位：{ $found }）。請重新命名欄位，或從範本開始。
import-err-duplicate-column = { $first } 欄（「{ $first_header }」）和 { $second } 欄（「{ $second_header }」）都是{ $column ->
        [first_name]名字
        [last_name]姓氏
        [display_name]顯示名稱
        [user_name]使用者名稱
        [usage_location]使用位置
       *[status_update]狀態更新
    }，請刪除其中一欄。
import-err-unclosed-quote = 第 { $row } 列的引號（"） 沒有結束，之後的內容都會被當成同一個儲存格。請補上結束的引號，或從 Excel 重新儲存檔案。
import-err-unreadable = 無法讀取第 { $row } 列。請在 Excel 中使用「另存新檔」，選擇「CSV UTF-8」，再重新上傳檔案。

import-encoding-auto = 自動偵測
import-encoding-utf-8 = Unicode (UTF-8)
import-encoding-utf-16le = Unicode (UTF-16 Little Endian)
import-encoding-utf-16be = Unicode (UTF-16 Big Endian)
import-encoding-big5 = 繁體中文（Big5）
import-encoding-gbk = 簡體中文（GBK）
import-encoding-shift_jis = 日文（Shift_JIS）
import-encoding-windows-1252 = 西歐語系（Windows-1252）

## Import users: pages
download-template = 下載範本（.csv）
validate = 驗證
import-step-template = 從範本開始，或使用任何包含 名字、姓氏、顯示名稱、使用者名稱、使用位置 欄位的檔案（Partner Center、Microsoft 365 及中文標題也可以）。
import-step-fill = 在 Excel 中每列填入一位使用者，並另存為 .csv（建議使用 CSV UTF-8；Big5 等舊編碼的「CSV」檔案也可以）。
import-step-upload = 上傳檔案。在您檢視報告並確認之前，不會建立任何使用者。
import-file = 檔案
import-file-hint = 最大 { $size } MB 的 .csv 或 Unicode 文字檔，或 Excel、LibreOffice 活頁簿（.xlsx、.xls、.ods：讀取第一個工作表）（最多 200,000 位使用者）。
import-encoding = 編碼
import-encoding-hint = 請保留「自動」，除非報告中的名稱看起來不正確；那時請選擇檔案的編碼。
import-recent = 最近的匯入
import-status = 狀態
import-users-count = 使用者
import-status-invalid = 有問題
import-status-validated = 可以建立
import-status-queued = 等待中
import-status-running = 匯入中
import-status-done = 已建立
import-status-failed = 失敗
import-read-as = 以 { $encoding } 讀取。
import-unknown-columns = 下列欄位未使用，已忽略：{ $columns }。
import-report-invalid = 檔案中有 { $rows } 位使用者，共 { $problems } 個問題。沒有建立任何使用者。請修正檔案後重新上傳。
import-report-valid = 檔案中有 { $rows } 位使用者，沒有問題。
import-no-rows = 檔案的標題列下方沒有使用者。
import-group = { $count } × { $example }
import-col-row = 列
import-col-column = 欄
import-col-value = 值
import-col-problem = 問題
import-column-first_name = 名字
import-column-last_name = 姓氏
import-column-display_name = 顯示名稱
import-column-user_name = 使用者名稱
import-column-usage_location = 使用位置
import-column-status_update = 狀態更新
import-download-problems = 下載問題清單（.csv）
import-upload-again = 上傳修正後的檔案
import-location = 檔案中沒有使用位置的使用者之使用位置
import-location-hint = 需要授權的使用者必須有使用位置。
import-products = 為每位新使用者指派授權
import-create-users = 建立使用者
import-run-again = 重新執行
import-failed = 匯入未完成，沒有建立其中任何使用者。
import-queued = 等待開始…
import-progress = 匯入中：{ $done } / { $total }
import-saving = 正在儲存 { $total } 位使用者…
import-time-left = 大約還需 { $seconds } 秒。
import-leave-hint = 您可以離開此頁面稍後再回來；匯入會繼續進行。
import-refresh = 重新整理
import-done = 已建立 { $count } 位使用者。
import-show-credentials = 顯示暫時密碼
import-err-row = 無法使用此值。
import-err-duplicate-user = 使用者名稱「{ $value }」也出現在檔案的第 { $row } 列。
import-err-file-too-large = 檔案超過 { $size } MB。請將檔案分割成較小的檔案，逐一匯入。
import-more-problems = 還有 { $count } 個問題。
import-problems-listed = 下載的清單依列的順序列出前 { $count } 個問題；上方的計數涵蓋整個檔案。
import-err-busy = 目前正在檢查其他檔案。請在 { $seconds } 秒後重新傳送此檔案；沒有遺失任何資料。
import-err-too-many-rows = 檔案中有 { $count } 位使用者；一次最多可匯入 { $max } 位。請分割檔案。
import-err-not-startable = 此匯入已經開始或已完成。
import-err-interrupted = 匯入期間伺服器停止了。請重新執行。
import-err-failed = 儲存時發生問題。請重新執行；若持續失敗，請通知您的系統管理員。
activity-users_imported = 從 { $file } 匯入 { $count } 位使用者
action-users_imported = 匯入使用者
import-err-rows-purged = 此檔案的資料列已不再保留，因此無法再次執行。請重新上傳檔案以匯入。
import-rows-purged-failed = 此檔案的資料列已於 { $date } 移除（匯入失敗 7 天後），因此無法再次執行。請重新上傳檔案以匯入。
import-rows-purged-done = 此檔案的資料列已於 { $date } 在暫時密碼到期後移除；此摘要會保留。
# 匯入使用者範本的範例列。
template-sample-first-name = 美玲
template-sample-last-name = 陳
template-sample-display-name = 陳美玲
template-sample-alias = meiling.chen
# 檔案預覽：標題的讀取方式，以及讀到的前幾列。
import-preview-title = 預覽：讀到的前 { $count } 列
import-mapped = { $header } → { $column }
# 直接上傳的活頁簿。
import-err-numbers = 這是 Apple Numbers 檔案，PartnerDesk 無法讀取。請在 Numbers 中選擇「檔案 › 輸出為 › Excel」（或 CSV），再上傳該檔案。
import-err-encrypted = 這個活頁簿受密碼保護，因此無法讀取。請在 Excel 中開啟並移除密碼（「檔案 › 資訊 › 保護活頁簿」），或另存一份 CSV UTF-8 後上傳。
import-err-workbook-too-big = 這個活頁簿開啟後會超過 { $max } MB，遠超過使用者清單所需。請將使用者工作表另存為 CSV UTF-8 後上傳。
import-err-workbook-unreadable = 無法讀取這個活頁簿，檔案可能已損毀。請在 Excel 或 LibreOffice 中開啟並重新儲存，或另存為 CSV UTF-8。
# 警告：已修正，但不會阻止匯入。
import-warn-line-break = 「{ $value }」中的換行已改為一個空格。
import-warnings = 已修正 { $count } 個儲存格；仍會建立這些使用者：
import-warning-at = 第 { $row } 列，{ $column }：{ $message }
