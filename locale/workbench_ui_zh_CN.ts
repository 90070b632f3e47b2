<?xml version="1.0" encoding="utf-8"?>
<!DOCTYPE TS>
<TS version="2.1" language="zh_CN">
<context>
    <name>App</name>
    <message>
        <source>error: the window did not paint within {seconds} s</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>AxisFollower</name>
    <message>
        <source>clipped at {ceiling}; peak {peak}</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>CompareTab</name>
    <message>
        <source>The runs could not be read: {error}</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Still training, compared once it ends: {runs}</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Select two or more finished runs in the runs list to compare them.</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>CompareView</name>
    <message>
        <source>Every run used the same settings.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Select two or more runs in the runs list to compare them.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Clone run and change one setting</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Load the selected run&apos;s experiment, same seeds, to change one setting and run it as a twin</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Export…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Write this comparison as an HTML report, CSV, JSON, PNG or SVG</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Gradient norm per layer</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Settings that differ</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Metrics (final: after training; best: at the lowest validation loss)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Run</source>
        <translation type="unfinished">运行</translation>
    </message>
    <message>
        <source>Setting</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>gradient norm</source>
        <translation type="unfinished"></translation>
    </message>
    <message numerus="yes">
        <source>Comparing %n run(s)</source>
        <translation>
            <numerusform>正在比较 %n 个运行</numerusform>
        </translation>
    </message>
    <message>
        <source>Wrote {path}</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Left out (unreadable): {runs}</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>DecisionBoundaryView</name>
    <message>
        <source>class {index}</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Decision boundary</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>DiagnosisPanel</name>
    <message>
        <source>The diagnosis of a run appears here while it trains.</source>
        <translation>运行训练时，其诊断会显示在这里。</translation>
    </message>
    <message>
        <source>Watching… no problems so far.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>No problems found: this run trained healthily.</source>
        <translation type="unfinished"></translation>
    </message>
    <message numerus="yes">
        <source>Watching… %n finding(s) so far, most important first.</source>
        <translation>
            <numerusform>监测中… 目前有 %n 项发现，最重要的在前。</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>%n finding(s), most important first.</source>
        <translation>
            <numerusform>%n 项发现，最重要的在前。</numerusform>
        </translation>
    </message>
    <message>
        <source>Expected: {id} — found ✓</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Expected: {id} — not found yet</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Expected: {id} — not found ✗</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>Dialogs</name>
    <message>
        <source>Experiment files (*.toml)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Open experiment</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Save experiment</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Export failed</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>ExperimentPanel</name>
    <message>
        <source>Parameter count: needs the dataset</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Parameter count: computing…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Loading the dataset preview…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>cannot build this network: {error}</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>Export</name>
    <message>
        <source>HTML report (*.html)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>CSV table (*.csv)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>JSON (*.json)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>PNG image (*.png)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>SVG image (*.svg)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Export failed</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Export comparison</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Export as PyTorch script</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Python script (*.py)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Export TensorBoard logs into</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Save the run into</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Cannot save the run in {folder}: {reason}</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>FindingCard</name>
    <message>
        <source>error</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>warning</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>info</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Apply fix: {overrides}</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>raised before training (step 0)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>raised at epoch {epoch}</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Evidence: {evidence}</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Why: {why}</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>A consequence of: {cause}</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>✓ Verified: with this fix, validation accuracy reached {value} after {epochs} epochs, against {baseline} without</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Its fix made validation worse in a short run, so none is offered; the evidence cannot rule out: {candidates}</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>Formatting</name>
    <message>
        <source>{rate} steps/s</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>Help</name>
    <message>
        <source>not installed</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Train small neural networks, watch them fail, and see why.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>About Workbench</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>HelpActions</name>
    <message>
        <source>&amp;Keyboard shortcuts</source>
        <translation>键盘快捷键(&amp;K)</translation>
    </message>
    <message>
        <source>List every keyboard shortcut of the window</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&amp;About Workbench</source>
        <translation>关于 Workbench(&amp;A)</translation>
    </message>
    <message>
        <source>The versions of Workbench, PyTorch and Qt</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>MainWindow</name>
    <message>
        <source>Training</source>
        <translation>训练</translation>
    </message>
    <message>
        <source>Compare</source>
        <translation>比较</translation>
    </message>
    <message>
        <source>Experiment</source>
        <translation>实验</translation>
    </message>
    <message>
        <source>Diagnosis</source>
        <translation>诊断</translation>
    </message>
    <message>
        <source>Runs</source>
        <translation>运行记录</translation>
    </message>
    <message>
        <source>&amp;Experiment</source>
        <translation>实验(&amp;E)</translation>
    </message>
    <message>
        <source>&amp;Diagnosis</source>
        <translation>诊断(&amp;D)</translation>
    </message>
    <message>
        <source>R&amp;uns</source>
        <translation>运行记录(&amp;U)</translation>
    </message>
    <message>
        <source>Run controls</source>
        <translation>运行控制</translation>
    </message>
    <message>
        <source>&amp;Run</source>
        <translation>运行(&amp;R)</translation>
    </message>
    <message>
        <source>Train the experiment</source>
        <translation>训练此实验</translation>
    </message>
    <message>
        <source>&amp;Stop</source>
        <translation>停止(&amp;S)</translation>
    </message>
    <message>
        <source>Stop training</source>
        <translation>停止训练</translation>
    </message>
    <message>
        <source>&amp;Open…</source>
        <translation>打开(&amp;O)…</translation>
    </message>
    <message>
        <source>Open an experiment file</source>
        <translation>打开实验文件</translation>
    </message>
    <message>
        <source>&amp;Save…</source>
        <translation>保存(&amp;S)…</translation>
    </message>
    <message>
        <source>Save the experiment to a file</source>
        <translation>将实验保存到文件</translation>
    </message>
    <message>
        <source>&amp;Quit</source>
        <translation>退出(&amp;Q)</translation>
    </message>
    <message>
        <source>Close the app</source>
        <translation>关闭应用</translation>
    </message>
    <message>
        <source>&amp;Reset layout</source>
        <translation>重置布局(&amp;R)</translation>
    </message>
    <message>
        <source>Put the panels back where and how wide they were at first</source>
        <translation>将各面板恢复到最初的位置和宽度</translation>
    </message>
    <message>
        <source>&amp;File</source>
        <translation>文件(&amp;F)</translation>
    </message>
    <message>
        <source>&amp;View</source>
        <translation>视图(&amp;V)</translation>
    </message>
    <message>
        <source>&amp;Language</source>
        <translation>语言(&amp;L)</translation>
    </message>
    <message>
        <source>&amp;Help</source>
        <translation>帮助(&amp;H)</translation>
    </message>
    <message>
        <source>{experiment} — {app}</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Training is unavailable</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>A preset file is broken</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Could not list the saved runs: {error}</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Cannot open {source}</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Loaded {experiment}</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Cannot save</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Fix the problems shown in the experiment panel first.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Saved {path}</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Training starts as soon as PyTorch has loaded…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>This fix cannot be applied</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Training {run}</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The dataset could not be loaded</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>{run} failed</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>{run}: {status}</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>{run} is not being saved</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>{problem}.

Training goes on and keeps every record in memory. When the run has ended, select it and choose File → Save run to folder… to keep it.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>{run}: {problem}</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Resume training</source>
        <translation>继续训练</translation>
    </message>
    <message>
        <source>Res&amp;ume</source>
        <translation>继续(&amp;U)</translation>
    </message>
    <message>
        <source>&amp;Pause</source>
        <translation>暂停(&amp;P)</translation>
    </message>
    <message>
        <source>Pause training</source>
        <translation>暂停训练</translation>
    </message>
    <message>
        <source>Stopping the run…</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>PerLayerViews</name>
    <message>
        <source>Move the mouse over the plot to read each layer&apos;s value.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>epoch</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Diverged at step {step}.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>No probe was taken before that (one every few steps).</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>No probe recorded a finite value.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>From step {step} some norms are exactly 0, which a log axis cannot show: those layers no longer learn.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>{title}: {reason}</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>epoch {epoch}</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>layer</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>{title} (latest probe)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>{title} at step {step} (the newest probe above 0)</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>PlotsArea</name>
    <message>
        <source>Loss &amp;&amp; accuracy</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Gradients</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Activations</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Weight updates</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Decision boundary</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Gradient norm per layer</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>gradient norm</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Gradient flow</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Dead ReLU units (share)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>share of units</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>no ReLU-type layer</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Saturated units (share beyond ±5)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>no sigmoid/tanh layer</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Weight update ratio ‖ΔW‖/‖W‖ per layer</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>ratio</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>typical ≈ 1e-3</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>PresetBanner</name>
    <message>
        <source>Expected diagnosis: {ids}.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Run the cure and compare: {preset}</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>PresetsMenu</name>
    <message>
        <source>&amp;Healthy baselines</source>
        <translation>健康基线(&amp;H)</translation>
    </message>
    <message>
        <source>&amp;Data</source>
        <translation>数据(&amp;D)</translation>
    </message>
    <message>
        <source>&amp;Initialization</source>
        <translation>初始化(&amp;I)</translation>
    </message>
    <message>
        <source>&amp;Learning rate</source>
        <translation>学习率(&amp;L)</translation>
    </message>
    <message>
        <source>&amp;Architecture</source>
        <translation>网络结构(&amp;A)</translation>
    </message>
    <message>
        <source>&amp;Regularization</source>
        <translation>正则化(&amp;R)</translation>
    </message>
    <message>
        <source>&amp;Other</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Expected diagnosis: {ids}</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Cure: {preset}</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&amp;Presets</source>
        <translation>预设(&amp;P)</translation>
    </message>
    <message>
        <source>No presets found</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>RunController</name>
    <message>
        <source>PyTorch could not be loaded: {error}</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>RunOverlay</name>
    <message>
        <source>Accuracy</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>epoch</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>accuracy</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>loss</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Loss ({note})</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Loss</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>validation</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>training</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>RunStatus</name>
    <message>
        <source>running</source>
        <translation>运行中</translation>
    </message>
    <message>
        <source>completed</source>
        <translation>已完成</translation>
    </message>
    <message>
        <source>early_stopped</source>
        <translation>提前停止</translation>
    </message>
    <message>
        <source>stopped</source>
        <translation>已停止</translation>
    </message>
    <message>
        <source>diverged</source>
        <translation>已发散</translation>
    </message>
    <message>
        <source>failed</source>
        <translation>失败</translation>
    </message>
    <message>
        <source>interrupted</source>
        <translation>已中断</translation>
    </message>
    <message>
        <source>unknown</source>
        <translation>未知</translation>
    </message>
    <message>
        <source>paused</source>
        <translation>已暂停</translation>
    </message>
</context>
<context>
    <name>RunStatusBar</name>
    <message>
        <source>device: {device}</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>device: loading PyTorch…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>starting…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>epoch {epoch}/{epochs}</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>ETA: paused</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>ETA {duration}</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>{status} in {duration}</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>RunsList</name>
    <message>
        <source>Filter by name, status or diagnosis id</source>
        <translation>按名称、状态或诊断 ID 筛选</translation>
    </message>
    <message>
        <source>Re&amp;name run</source>
        <translation>重命名运行(&amp;N)</translation>
    </message>
    <message>
        <source>Rename the selected run; the new name is kept in its run directory</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&amp;Delete runs…</source>
        <translation>删除运行(&amp;D)…</translation>
    </message>
    <message>
        <source>Delete the selected runs and their run directories, after a question</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>{run} was not renamed</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>{run} is still training; stop it first.</source>
        <translation type="unfinished"></translation>
    </message>
    <message numerus="yes">
        <source>Delete %n run(s)?</source>
        <translation>
            <numerusform>删除 %n 个运行？</numerusform>
        </translation>
    </message>
    <message>
        <source>Delete {run}?</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Their run directories are deleted from the disk:
{runs}

This cannot be undone.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Delete</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Not every run was deleted</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>RunsModel</name>
    <message>
        <source>Run</source>
        <translation>运行</translation>
    </message>
    <message>
        <source>Started</source>
        <translation>开始时间</translation>
    </message>
    <message>
        <source>Status</source>
        <translation>状态</translation>
    </message>
    <message>
        <source>Best val acc</source>
        <translation>最佳验证准确率</translation>
    </message>
    <message>
        <source>Diagnosis</source>
        <translation>诊断</translation>
    </message>
</context>
<context>
    <name>SelectedRunActions</name>
    <message>
        <source>&amp;Compare selected runs</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Overlay the selected finished runs in the Compare tab</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Export &amp;comparison…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Write the selected finished runs as an HTML report, CSV, JSON, PNG or SVG</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Export run as PyTorch sc&amp;ript…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Write the selected run as a standalone PyTorch script</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Export run to &amp;TensorBoard…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Write the selected run&apos;s curves as TensorBoard event files</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Sa&amp;ve run to folder…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Write the selected run, which could not be saved where it trained, to a folder of your choice</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>C&amp;lone run and change one setting</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Load the selected run&apos;s experiment, same seeds, to change one setting and run it as a twin</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Loaded a twin of {experiment} with the same seeds: change one setting, then press Run</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Wrote {path}</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Saved {run} in {folder}</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>SettingHelp</name>
    <message>
        <source>The data to learn: 2-D toy sets (generated), digit images and signals (offline), torchvision image sets (need their files) or your own CSV file.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Toy sets: how many points are generated.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Toy sets: how much the points scatter around their ideal shape.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>CSV data: the file to read.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>CSV data: the name of the column that holds the labels.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Torchvision sets: the folder their files are in (empty: the user cache folder).</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Keep only this many training examples, to study learning from little data (0: all of them).</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The share of the training data held out to validate on.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Standardize the inputs with the training set&apos;s mean and spread; off leaves them on their raw scale (pixels 0 to 255).</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Draw the training examples in a new order every epoch.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The order of the training examples: random, or sorted by label (one class after another).</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The share of training labels replaced by random ones.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>How many times more examples the largest class has than the smallest (1: balanced).</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Random changes to each training example: noise (also for toy sets), and for images rotation, flips and crops.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Seed of the data: the same seed gives the same points and the same split.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>A multi-layer perceptron, or a small convolutional network for images.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Convolutional network: the channels of each block (3×3 convolution, activation, optional normalization, 2×2 max-pooling).</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The widths of the hidden layers (for a convolutional network: of its dense head).</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The nonlinearity after each hidden layer.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>How the weights are drawn before training (default: PyTorch&apos;s own).</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Initialization &quot;normal&quot;: the standard deviation of the weights and biases.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Batch or layer normalization after each hidden layer.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The share of hidden units switched off at random in each training step.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Skip connections around hidden layers of equal width.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The update rule that turns gradients into weight changes.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The learning rate: how far each update moves the weights.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Momentum and Nesterov: the share of the previous update carried into the next.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Training examples per update step.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Passes over the training set.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>What training minimizes: cross-entropy, or the squared error between the softmax probabilities and one-hot targets.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>L2 regularization: pulls every weight towards 0 in proportion to its size.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>L1 regularization: pulls every weight towards 0 by the same amount, making many exactly 0.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The largest global gradient norm; larger gradients are scaled down to it (0: off).</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>How the learning rate changes over the epochs.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Step, exponential and plateau schedules: the factor the rate is multiplied by.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Step schedule: the epochs between two decays.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Stop after this many epochs without a better validation loss, and restore the best weights (0: off).</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Where training runs: auto picks CUDA, then MPS, then the CPU.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Seed of the weights and the batch order: the same seed trains the same run again.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>How training batches are drawn: random (each example once per epoch) or balanced (every class equally often, for rare classes).</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Weight the loss by inverse class frequency (balanced), so that rare classes count as much as common ones.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Train toward targets softened by this much, so that no label is trusted fully: limits the harm of wrong labels.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>After training, test the fixes of the leading findings in short runs of the same experiment (same seeds): a fix that measurably helps marks its finding verified, one that makes things worse is not offered. Costs up to half the run&apos;s time again.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>from {low} to {high}</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>from {low} to below {high}</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>above {low}, up to {high}</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>above {low} and below {high}</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>{low} or more</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>above {low}</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>up to {high}</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>below {high}</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>{shortest} to {longest} of {items}</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>up to {longest} of {items}</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>at least {shortest} of {items}</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>any number of {items}</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>{shortest} to {longest} layers, each {items}</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>up to {longest} layers, each {items}</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>at least {shortest} layers, each {items}</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>any number of layers, each {items}</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>any value</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>one of {choices}</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>on or off</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>any text</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>a whole number {range}</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>a number {range}</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Allowed: {values}.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>empty</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Default: {value}.</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>ShortcutsDialog</name>
    <message>
        <source>Keyboard shortcuts</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Menu</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Command</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Shortcut</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>TrainingCurves</name>
    <message>
        <source>train loss</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>val loss</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>train acc</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>val acc</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Move the mouse over a plot to read the exact values of an epoch.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Smoothing of the per-step training loss: an exponential moving average, as TensorBoard&apos;s slider. 0 shows every step as it was; 0.99 averages over about a hundred steps.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&amp;Smoothing</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Smoothing</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&amp;Log scale</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Show the loss on a logarithmic axis: small late losses and huge diverged ones both stay readable</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Accuracy</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>epoch</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>accuracy</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>loss</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>training (per epoch)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>validation (per epoch)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>train loss per step (smoothed)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>best epoch {epoch} (lowest val loss)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>validation</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>training</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Loss ({note})</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Loss</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>epoch {epoch}</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>WidthListField</name>
    <message>
        <source>+ Add layer</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>layer {layer} width</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>move this layer up</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>move this layer down</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>remove this layer</source>
        <translation type="unfinished"></translation>
    </message>
</context>
</TS>
