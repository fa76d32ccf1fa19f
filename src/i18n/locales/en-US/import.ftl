## Import users from .csv: reading the file

import-err-empty = The file is empty. Download the template, fill it in and upload it again.
import-err-not-text = This is not a .csv file; in Excel use Save As, CSV UTF-8
import-err-malformed = Line { $line } of the file is not valid { $encoding }. Choose the file's encoding, or in Excel use Save As, CSV UTF-8.
import-err-unsupported-encoding = This file seems to be in { $encoding }, which PartnerDesk cannot read. If you know the file's encoding, choose it; otherwise in Excel use Save As, CSV UTF-8.
import-err-encoding-unknown = Unknown encoding “{ $value }”; choose one from the list.
import-err-missing-columns = The first row needs { $columns ->
        [display_name] a “Display name” column
        [user_name] a “User name” column
       *[both] a “Display name” and a “User name” column
    } (it has: { $found }). Rename the columns, or start from the template.
import-err-duplicate-column = Columns { $first } (“{ $first_header }”) and { $second } (“{ $second_header }”) both hold the { $column ->
        [first_name] first name
        [last_name] last name
        [display_name] display name
        [user_name] user name
        [usage_location] usage location
       *[status_update] status update
    }; delete one of them.
import-err-unclosed-quote = Row { $row } opens a quotation mark (") that is never closed, so everything after it would be read as one cell. Close the quote, or save the file again from Excel.
import-err-unreadable = Row { $row } cannot be read. In Excel use Save As, CSV UTF-8, and upload the file again.

import-encoding-auto = Automatic
import-encoding-utf-8 = Unicode (UTF-8)
import-encoding-utf-16le = Unicode (UTF-16 little-endian)
import-encoding-utf-16be = Unicode (UTF-16 big-endian)
import-encoding-big5 = Traditional Chinese (Big5)
import-encoding-gbk = Simplified Chinese (GBK)
import-encoding-shift_jis = Japanese (Shift_JIS)
import-encoding-windows-1252 = Western European (Windows-1252)
