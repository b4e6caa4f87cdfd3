"""The workbook's Excel helpers, without a database."""

from odoo.tests.common import BaseCase

from ..tools.excel import column_letter, excel_date_format


class TestExcelRules(BaseCase):
    def test_columns_are_lettered_as_excel_does(self):
        self.assertEqual(column_letter(0), "A")
        self.assertEqual(column_letter(25), "Z")
        self.assertEqual(column_letter(26), "AA")
        self.assertEqual(column_letter(27), "AB")
        self.assertEqual(column_letter(701), "ZZ")
        self.assertEqual(column_letter(702), "AAA")

    def test_a_languages_date_format_becomes_an_excel_format(self):
        self.assertEqual(excel_date_format("%d-%m-%Y"), "dd-mm-yyyy")
        self.assertEqual(excel_date_format("%m/%d/%Y"), "mm/dd/yyyy")
        self.assertEqual(excel_date_format("%e %B %Y"), "d mmmm yyyy")
        self.assertEqual(excel_date_format(None), "yyyy-mm-dd")
