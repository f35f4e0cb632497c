"""Reports of 述责 · 考责 for people to read and print: the monthly bulletin, the quarter's
comparison sheet, the annual 631 workbook, and the charts in them."""
