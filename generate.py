"""Tạo Kế hoạch thực hiện công tác giảm nghèo bền vững từ sổ số liệu Excel. Xem README.md."""

import sys

from povertyplan.cli import main

if __name__ == "__main__":
    sys.exit(main())
