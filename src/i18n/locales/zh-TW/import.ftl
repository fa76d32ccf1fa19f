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
import-err-unclosed-quote = 第 { $row } 列的引號 (") 沒有結束，之後的內容都會被當成同一個儲存格。請補上結束的引號，或從 Excel 重新儲存檔案。
import-err-unreadable = 無法讀取第 { $row } 列。請在 Excel 中使用「另存新檔」，選擇「CSV UTF-8」，再重新上傳檔案。

import-encoding-auto = 自動偵測
import-encoding-utf-8 = Unicode (UTF-8)
import-encoding-utf-16le = Unicode (UTF-16 Little Endian)
import-encoding-utf-16be = Unicode (UTF-16 Big Endian)
import-encoding-big5 = 繁體中文 (Big5)
import-encoding-gbk = 簡體中文 (GBK)
import-encoding-shift_jis = 日文 (Shift_JIS)
import-encoding-windows-1252 = 西歐語系 (Windows-1252)
