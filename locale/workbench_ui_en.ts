<?xml version="1.0" encoding="utf-8"?>
<!DOCTYPE TS>
<TS version="2.1" language="en_US">
<context>
    <name>CompareView</name>
    <message numerus="yes">
        <source>Comparing %n run(s)</source>
        <translation>
            <numerusform>Comparing %n run</numerusform>
            <numerusform>Comparing %n runs</numerusform>
        </translation>
    </message>
</context>
<context>
    <name>DiagnosisPanel</name>
    <message numerus="yes">
        <source>Watching… %n finding(s) so far, most important first.</source>
        <translation>
            <numerusform>Watching… %n finding so far.</numerusform>
            <numerusform>Watching… %n findings so far, most important first.</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>%n finding(s), most important first.</source>
        <translation>
            <numerusform>%n finding.</numerusform>
            <numerusform>%n findings, most important first.</numerusform>
        </translation>
    </message>
</context>
<context>
    <name>DiskCap</name>
    <message numerus="yes">
        <source>Delete %n run(s)?</source>
        <translation>
            <numerusform>Delete %n run?</numerusform>
            <numerusform>Delete %n runs?</numerusform>
        </translation>
    </message>
</context>
<context>
    <name>RunsList</name>
    <message numerus="yes">
        <source>Delete %n run(s)?</source>
        <translation>
            <numerusform>Delete %n run?</numerusform>
            <numerusform>Delete %n runs?</numerusform>
        </translation>
    </message>
</context>
</TS>
