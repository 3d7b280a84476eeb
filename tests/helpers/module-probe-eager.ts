/** A module importing both packages eagerly, as the app did before issue 13: tests/unit/lazy-sheets.test.ts's negative control. */
import ExcelJS from 'exceljs';
import * as XLSX from 'xlsx';

export const versions = [typeof ExcelJS.Workbook, typeof XLSX.read];
