"""JUnit XML for CI systems that show test reports: one test suite per file, one failing test case per
finding, an ``<error>`` per file that could not be scanned.  ElementTree does the XML escaping."""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET

# Characters XML 1.0 cannot hold at all, even escaped.
_NOT_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")


def render_junit(report) -> str:
    by_file: dict[str, list] = {}
    for finding in report.findings:
        by_file.setdefault(finding.file, []).append(finding)
    for error in report.errors:
        by_file.setdefault(error.file, []).append(error)
    suites = ET.Element("testsuites", name="iaclint", tests="0", failures=str(len(report.findings)),
                        errors=str(len(report.errors)))
    total = 0
    for file, items in sorted(by_file.items()):
        failures = [item for item in items if hasattr(item, "code")]
        suite = ET.SubElement(suites, "testsuite", name=file, tests=str(len(items)),
                              failures=str(len(failures)), errors=str(len(items) - len(failures)))
        for item in items:
            total += 1
            if hasattr(item, "code"):
                case = ET.SubElement(suite, "testcase", name=f"{item.code} {item.slug} at line {item.line}",
                                     classname=file, file=file, line=str(item.line))
                failure = ET.SubElement(case, "failure", type=item.code, message=item.message + item.origin_note)
                failure.text = (f"{item.file}:{item.line}:{item.column}: {item.code} [{item.severity}] "
                                f"{item.slug}: {item.message}")
            else:
                case = ET.SubElement(suite, "testcase", name="scan", classname=file, file=file,
                                     **({"line": str(item.line)} if item.line is not None else {}))
                ET.SubElement(case, "error", type="ScanError", message=item.message).text = str(item)
    if not by_file:  # a clean run is one passing test, so CI shows the check ran
        suite = ET.SubElement(suites, "testsuite", name="iaclint", tests="1", failures="0", errors="0")
        ET.SubElement(suite, "testcase", name=f"{report.files_scanned} file{'s' if report.files_scanned != 1 else ''} scanned", classname="iaclint")
        total = 1
    suites.set("tests", str(total))
    for element in suites.iter():
        element.attrib = {key: _NOT_XML.sub("?", value) for key, value in element.attrib.items()}
        if element.text:
            element.text = _NOT_XML.sub("?", element.text)
    ET.indent(suites)
    return ET.tostring(suites, encoding="unicode", xml_declaration=True) + "\n"
