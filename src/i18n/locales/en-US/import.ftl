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

## Import users: pages
download-template = Download template (.csv)
validate = Validate
import-step-template = Start from the template, or any file with the columns First name, Last name, Display name, User name and Usage location (Partner Center, Microsoft 365 and Chinese headers work too).
import-step-fill = Fill in one user per row in Excel and save it as .csv (CSV UTF-8 is best; older "CSV" files in Big5 and other code pages work too).
import-step-upload = Upload it. Nothing is created until you have seen the report and confirmed.
import-file = File
import-file-hint = A .csv or Unicode text file, or an Excel or LibreOffice workbook (.xlsx, .xls, .ods: its first sheet), of up to { $size } MB (up to 200,000 users).
import-encoding = Encoding
import-encoding-hint = Leave Automatic unless names in the report look wrong; then choose the file's encoding.
import-recent = Recent imports
import-status = Status
import-users-count = Users
import-status-invalid = Has problems
import-status-validated = Ready to create
import-status-queued = Waiting
import-status-running = Importing
import-status-done = Created
import-status-failed = Failed
import-read-as = Read as { $encoding }.
import-unknown-columns = These columns are not used and were ignored: { $columns }.
import-report-invalid = The file has { $rows ->
    [one] 1 user
   *[other] { $rows } users
} and { $problems ->
    [one] 1 problem
   *[other] { $problems } problems
}. Nothing was created. Correct the file and upload it again.
import-report-valid = The file has { $rows ->
    [one] 1 user
   *[other] { $rows } users
} and no problems.
import-no-rows = The file has no users under its header row.
import-group = { $count } × { $example }
import-col-row = Row
import-col-column = Column
import-col-value = Value
import-col-problem = Problem
import-column-first_name = First name
import-column-last_name = Last name
import-column-display_name = Display name
import-column-user_name = User name
import-column-usage_location = Usage location
import-column-status_update = Status update
import-download-problems = Download the problems (.csv)
import-upload-again = Upload a corrected file
import-location = Usage location for users without one in the file
import-location-hint = Users who need a license need a usage location.
import-products = Assign licenses to every new user
import-create-users = Create users
import-run-again = Run again
import-failed = The import did not finish, and no user of it was created.
import-queued = Waiting to start…
import-progress = Importing: { $done } of { $total }
import-saving = Saving { $total ->
    [one] 1 user
   *[other] { $total } users
}…
import-time-left = About { $seconds ->
    [one] 1 second
   *[other] { $seconds } seconds
} left.
import-leave-hint = You can leave this page and come back; the import goes on.
import-refresh = Refresh
import-done = { $count ->
    [one] 1 user
   *[other] { $count } users
} were created.
import-show-credentials = Show the temporary passwords
import-err-row = This value cannot be used.
import-err-duplicate-user = User name "{ $value }" is also on row { $row } of the file.
import-err-file-too-large = The file is larger than { $size } MB. Split it into smaller files and import them one after the other.
import-more-problems = and { $count } more problems.
import-problems-listed = The download lists the first { $count } in row order; the counts above cover the whole file.
import-err-busy = Other files are being checked right now. Send this file again in { $seconds ->
    [one] 1 second
   *[other] { $seconds } seconds
}; nothing was lost.
import-err-too-many-rows = The file has { $count ->
    [one] 1 user
   *[other] { $count } users
}; at most { $max } can be imported at once. Split the file.
import-err-not-startable = This import has already started or finished.
import-err-interrupted = The server stopped during the import. Run it again.
import-err-failed = Something went wrong while saving. Run it again; if it keeps failing, tell your administrator.
activity-users_imported = Imported { $count ->
    [one] 1 user
   *[other] { $count } users
} from { $file }
action-users_imported = Users imported
import-err-rows-purged = The rows of this file are no longer kept, so it cannot run again. Upload the file again to import it.
import-rows-purged-failed = The rows of this file were removed on { $date }, 7 days after the import failed, so it cannot run again. Upload the file again to import it.
import-rows-purged-done = The rows of this file were removed on { $date }, once the temporary passwords had expired; this summary stays.
# The sample row of the Import users template.
template-sample-first-name = Anna
template-sample-last-name = Lee
template-sample-display-name = Anna Lee
template-sample-alias = anna.lee
# The preview of a file: how its headers were read and its first rows as read.
import-preview-title = { $count ->
    [one] Preview: the first row as read
   *[other] Preview: the first { $count } rows as read
}
import-mapped = { $header } → { $column }
# Workbooks uploaded as they are.
import-err-numbers = This is an Apple Numbers file, which PartnerDesk cannot read. In Numbers choose File › Export To › Excel (or CSV) and upload that file.
import-err-encrypted = This workbook is protected with a password, so it cannot be read. Open it in Excel, remove the password (File › Info › Protect Workbook) or save a copy as CSV UTF-8, and upload that.
import-err-workbook-too-big = This workbook would expand to more than { $max } MB when opened, more than a list of users needs. Save the sheet of users as CSV UTF-8 and upload that.
import-err-workbook-unreadable = This workbook cannot be read: it may be damaged. Open it in Excel or LibreOffice and save it again, or save it as CSV UTF-8.
# Warnings: changed, but they do not stop the import.
import-warn-line-break = A line break in "{ $value }" became one space.
import-warnings = { $count ->
    [one] 1 cell was changed; the users are created anyway:
   *[other] { $count } cells were changed; the users are created anyway:
}
import-warning-at = Row { $row }, { $column }: { $message }
