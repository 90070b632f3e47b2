<?xml version="1.0" encoding="utf-8"?>
<!DOCTYPE TS>
<TS version="2.1" language="zh_CN">
<context>
    <name>App</name>
    <message>
        <source>error: the window did not paint within {seconds} s</source>
        <translation>错误：窗口未能在 {seconds} 秒内完成绘制</translation>
    </message>
</context>
<context>
    <name>AxisFollower</name>
    <message>
        <source>clipped at {ceiling}; peak {peak}</source>
        <translation>在 {ceiling} 处截断；峰值 {peak}</translation>
    </message>
</context>
<context>
    <name>ChangeMarkers</name>
    <message>
        <source>{key} {old} → {new}</source>
        <translation>{key} {old} → {new}</translation>
    </message>
    <message>
        <source>forked at epoch {epoch}</source>
        <translation>在第 {epoch} 轮分叉</translation>
    </message>
</context>
<context>
    <name>CompareTab</name>
    <message>
        <source>The runs could not be read: {error}</source>
        <translation>无法读取这些运行：{error}</translation>
    </message>
    <message>
        <source>Still training, compared once it ends: {runs}</source>
        <translation>仍在训练中，结束后再比较：{runs}</translation>
    </message>
    <message>
        <source>Select two or more finished runs in the runs list to compare them.</source>
        <translation>在运行记录列表中选择两个或更多已结束的运行即可比较。</translation>
    </message>
</context>
<context>
    <name>CompareView</name>
    <message>
        <source>Every run used the same settings.</source>
        <translation>所有运行使用了相同的设置。</translation>
    </message>
    <message>
        <source>Select two or more runs in the runs list to compare them.</source>
        <translation>在运行记录列表中选择两个或更多运行即可比较。</translation>
    </message>
    <message>
        <source>Clone run and change one setting</source>
        <translation>克隆运行并修改一项设置</translation>
    </message>
    <message>
        <source>Load the selected run&apos;s experiment, same seeds, to change one setting and run it as a twin</source>
        <translation>载入所选运行的实验（相同种子），修改一项设置后作为对照运行</translation>
    </message>
    <message>
        <source>Export…</source>
        <translation>导出…</translation>
    </message>
    <message>
        <source>Write this comparison as an HTML report, CSV, JSON, PNG or SVG</source>
        <translation>将此比较导出为 HTML 报告、CSV、JSON、PNG 或 SVG</translation>
    </message>
    <message>
        <source>Gradient norm per layer</source>
        <translation>各层梯度范数</translation>
    </message>
    <message>
        <source>Settings that differ</source>
        <translation>不同的设置</translation>
    </message>
    <message>
        <source>Metrics (final: after training; best: at the lowest validation loss)</source>
        <translation>指标（最终：训练结束时；最佳：验证损失最低时）</translation>
    </message>
    <message>
        <source>Run</source>
        <translation>运行</translation>
    </message>
    <message>
        <source>Setting</source>
        <translation>设置</translation>
    </message>
    <message>
        <source>gradient norm</source>
        <translation>梯度范数</translation>
    </message>
    <message numerus="yes">
        <source>Comparing %n run(s)</source>
        <translation>
            <numerusform>正在比较 %n 个运行</numerusform>
        </translation>
    </message>
    <message>
        <source>Wrote {path}</source>
        <translation>已写入 {path}</translation>
    </message>
    <message>
        <source>Left out (unreadable): {runs}</source>
        <translation>已略过（无法读取）：{runs}</translation>
    </message>
</context>
<context>
    <name>ConfigurationCurves</name>
    <message>
        <source>Validation accuracy of each configuration (band: its seeds)</source>
        <translation>各配置的验证准确率（色带：其各个种子）</translation>
    </message>
    <message>
        <source>epoch</source>
        <translation>轮次</translation>
    </message>
    <message>
        <source>validation accuracy</source>
        <translation>验证准确率</translation>
    </message>
</context>
<context>
    <name>ConfusionView</name>
    <message>
        <source>Validation confusion matrix</source>
        <translation>验证集混淆矩阵</translation>
    </message>
    <message>
        <source>predicted class</source>
        <translation>预测类别</translation>
    </message>
    <message>
        <source>true class</source>
        <translation>真实类别</translation>
    </message>
    <message>
        <source>Accuracy per class</source>
        <translation>各类别准确率</translation>
    </message>
    <message>
        <source>class</source>
        <translation>类别</translation>
    </message>
    <message>
        <source>share of the class predicted right</source>
        <translation>该类别被正确预测的比例</translation>
    </message>
    <message>
        <source>Move the mouse over a cell to read its count.</source>
        <translation>将鼠标移到单元格上即可读出其计数。</translation>
    </message>
    <message>
        <source>Accuracy per class (all classes: {accuracy})</source>
        <translation>各类别准确率（全部类别：{accuracy}）</translation>
    </message>
    <message>
        <source>Epoch {epoch} of {epochs}</source>
        <translation>第 {epoch}/{epochs} 轮</translation>
    </message>
    <message>
        <source>Epoch –</source>
        <translation>轮次 –</translation>
    </message>
    <message>
        <source>This run has {classes} classes: a confusion matrix is kept for at most {limit}.</source>
        <translation>此运行有 {classes} 个类别：混淆矩阵最多只为 {limit} 个类别保存。</translation>
    </message>
    <message>
        <source>No confusion matrix yet: one is taken on the validation set at each epoch end (a run made before Workbench recorded them has none).</source>
        <translation>还没有混淆矩阵：混淆矩阵在每轮结束时基于验证集记录（在 Workbench 开始记录之前做的运行没有混淆矩阵）。</translation>
    </message>
    <message>
        <source>true {true}, predicted {predicted}: {count} examples, {share} of the {total} of class {true}</source>
        <translation>真实 {true}，预测 {predicted}：{count} 个样本，占类别 {true} 的 {total} 个样本的 {share}</translation>
    </message>
</context>
<context>
    <name>DecisionBoundaryView</name>
    <message>
        <source>class {index}</source>
        <translation>类别 {index}</translation>
    </message>
    <message>
        <source>Decision boundary</source>
        <translation>决策边界</translation>
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
        <translation>监测中… 目前没有发现问题。</translation>
    </message>
    <message>
        <source>No problems found: this run trained healthily.</source>
        <translation>未发现问题：此运行训练健康。</translation>
    </message>
    <message>
        <source>Back to the original settings</source>
        <translation>回到原来的设置</translation>
    </message>
    <message>
        <source>Back to the settings of “{run}”</source>
        <translation>回到“{run}”的设置</translation>
    </message>
    <message>
        <source>Measuring what “{title}” cost in a short run of {epochs} epochs without it ({without}) ({index} of {total}): the findings may still change.</source>
        <translation>正在用去掉它（{without}）的 {epochs} 轮短训练衡量“{title}”造成的损失（第 {index}/{total} 个）：诊断结果可能还会改变。</translation>
    </message>
    <message>
        <source>Testing the fix for “{title}” in a short run of {epochs} epochs ({index} of {total}): the findings may still change.</source>
        <translation>正在用 {epochs} 轮的短训练测试“{title}”的修复（第 {index}/{total} 个）：诊断结果可能还会改变。</translation>
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
        <translation>预期：{id} — 已发现 ✓</translation>
    </message>
    <message>
        <source>Expected: {id} — not found yet</source>
        <translation>预期：{id} — 尚未发现</translation>
    </message>
    <message>
        <source>Expected: {id} — not found ✗</source>
        <translation>预期：{id} — 未发现 ✗</translation>
    </message>
</context>
<context>
    <name>Dialogs</name>
    <message>
        <source>Experiment files (*.toml)</source>
        <translation>实验文件 (*.toml)</translation>
    </message>
    <message>
        <source>Open experiment</source>
        <translation>打开实验</translation>
    </message>
    <message>
        <source>Save experiment</source>
        <translation>保存实验</translation>
    </message>
    <message>
        <source>Export failed</source>
        <translation>导出失败</translation>
    </message>
</context>
<context>
    <name>DiskCap</name>
    <message>
        <source>Pr&amp;une old runs…</source>
        <translation>清理旧运行(&amp;U)…</translation>
    </message>
    <message>
        <source>Delete old finished runs, chosen by you, until the runs folder is under its cap</source>
        <translation>删除您选择的已结束的旧运行，直到运行文件夹低于上限</translation>
    </message>
    <message>
        <source>Runs f&amp;older cap…</source>
        <translation>运行文件夹上限(&amp;O)…</translation>
    </message>
    <message>
        <source>The most disk the runs folder may take before Workbench says so</source>
        <translation>运行文件夹在 Workbench 提醒之前最多可以占用的磁盘空间</translation>
    </message>
    <message>
        <source>Runs folder: measuring…</source>
        <translation>运行文件夹：正在测量…</translation>
    </message>
    <message>
        <source>Runs folder: {total}, above its cap of {cap}</source>
        <translation>运行文件夹：{total}，超过了上限 {cap}</translation>
    </message>
    <message>
        <source>Runs folder: {total} (cap {cap})</source>
        <translation>运行文件夹：{total}（上限 {cap}）</translation>
    </message>
    <message>
        <source>The disk the runs folder takes, against the cap set in Run → Runs folder cap…; Run → Prune old runs… deletes old runs you choose</source>
        <translation>运行文件夹占用的磁盘空间，与“运行 → 运行文件夹上限…”中设置的上限对比；“运行 → 清理旧运行…”会删除您选择的旧运行</translation>
    </message>
    <message>
        <source>Runs folder cap</source>
        <translation>运行文件夹上限</translation>
    </message>
    <message>
        <source>Say so when the runs folder takes more than (GB):</source>
        <translation>运行文件夹占用超过此值时提醒（GB）：</translation>
    </message>
    <message>
        <source>The runs folder takes {total}, above its cap of {cap}.</source>
        <translation>运行文件夹占用 {total}，超过了上限 {cap}。</translation>
    </message>
    <message>
        <source>The runs folder is above its cap</source>
        <translation>运行文件夹超过了上限</translation>
    </message>
    <message>
        <source>Training goes on. Prune old runs to free disk, or raise the cap (Run → Runs folder cap…).</source>
        <translation>训练会继续。请清理旧运行以释放磁盘空间，或提高上限（运行 → 运行文件夹上限…）。</translation>
    </message>
    <message>
        <source>Prune old runs…</source>
        <translation>清理旧运行…</translation>
    </message>
    <message>
        <source>Not now</source>
        <translation>暂不</translation>
    </message>
    <message>
        <source>Nothing to prune</source>
        <translation>没有可清理的运行</translation>
    </message>
    <message>
        <source>The runs folder takes {total} of its cap of {cap}; no finished run that is not selected, forked from or part of a sweep would need deleting.</source>
        <translation>运行文件夹占用 {total}，上限为 {cap}；没有需要删除的已结束运行（已选中、被分叉或属于某次扫描的运行除外）。</translation>
    </message>
    <message numerus="yes">
        <source>Delete %n run(s)?</source>
        <translation>
            <numerusform>删除 %n 个运行？</numerusform>
        </translation>
    </message>
    <message>
        <source>Their run directories are deleted from the disk:
{runs}

This cannot be undone.</source>
        <translation>它们的运行目录将从磁盘上删除：
{runs}

此操作无法撤销。</translation>
    </message>
    <message>
        <source>Delete</source>
        <translation>删除</translation>
    </message>
    <message>
        <source>Not every run was deleted</source>
        <translation>并非所有运行都已删除</translation>
    </message>
</context>
<context>
    <name>DistributionsView</name>
    <message>
        <source>Weights</source>
        <translation>权重</translation>
    </message>
    <message>
        <source>Gradients</source>
        <translation>梯度</translation>
    </message>
    <message>
        <source>Pre-activations</source>
        <translation>预激活值</translation>
    </message>
    <message>
        <source>Activations</source>
        <translation>激活值</translation>
    </message>
    <message>
        <source>Show:</source>
        <translation>显示：</translation>
    </message>
    <message>
        <source>Layer:</source>
        <translation>层：</translation>
    </message>
    <message>
        <source>All layers</source>
        <translation>所有层</translation>
    </message>
    <message>
        <source>Move the mouse over a strip to read the values there.</source>
        <translation>将鼠标移到色带上即可读出该处的数值。</translation>
    </message>
    <message>
        <source>epoch</source>
        <translation>轮次</translation>
    </message>
    <message>
        <source>No histograms yet: they are taken before training and at each epoch end (a run made before Workbench recorded them has none).</source>
        <translation>还没有直方图：直方图在训练前和每轮结束时记录（在 Workbench 开始记录直方图之前做的运行没有直方图）。</translation>
    </message>
    <message>
        <source>{layer} at epoch {epoch}</source>
        <translation>{layer}，第 {epoch} 轮</translation>
    </message>
    <message>
        <source>values from {low} to {high}; the most common, {start} to {end}, are {share} of them</source>
        <translation>数值从 {low} 到 {high}；最常见的区间 {start} 到 {end} 占其中的 {share}</translation>
    </message>
    <message>
        <source>{share} of the values are between {start} and {end}</source>
        <translation>{share} 的数值位于 {start} 和 {end} 之间</translation>
    </message>
    <message>
        <source>{count} values are NaN or infinite</source>
        <translation>有 {count} 个数值为 NaN 或无穷大</translation>
    </message>
</context>
<context>
    <name>DrawDigitDialog</name>
    <message>
        <source>Try {run}: draw a digit</source>
        <translation>试用 {run}：画一个数字</translation>
    </message>
    <message>
        <source>Class probabilities</source>
        <translation>各类别概率</translation>
    </message>
    <message>
        <source>class</source>
        <translation>类别</translation>
    </message>
    <message>
        <source>probability</source>
        <translation>概率</translation>
    </message>
    <message>
        <source>Draw with the left mouse button, erase with the right.</source>
        <translation>按住鼠标左键绘制，右键擦除。</translation>
    </message>
    <message>
        <source>C&amp;lear</source>
        <translation>清除(&amp;L)</translation>
    </message>
    <message>
        <source>What the model sees:</source>
        <translation>模型看到的输入：</translation>
    </message>
    <message>
        <source>Draw a digit in the square.</source>
        <translation>请在方框中画一个数字。</translation>
    </message>
    <message>
        <source>Prediction: {name} ({share})</source>
        <translation>预测：{name}（{share}）</translation>
    </message>
</context>
<context>
    <name>ExperimentPanel</name>
    <message>
        <source>Data</source>
        <translation>数据</translation>
    </message>
    <message>
        <source>Dataset</source>
        <translation>数据集</translation>
    </message>
    <message>
        <source>Samples</source>
        <translation>样本数</translation>
    </message>
    <message>
        <source>Noise</source>
        <translation>噪声</translation>
    </message>
    <message>
        <source>Sequence length</source>
        <translation>序列长度</translation>
    </message>
    <message>
        <source>CSV file</source>
        <translation>CSV 文件</translation>
    </message>
    <message>
        <source>path to a .csv file</source>
        <translation>.csv 文件的路径</translation>
    </message>
    <message>
        <source>Target column</source>
        <translation>目标列</translation>
    </message>
    <message>
        <source>name of the label column</source>
        <translation>标签列的名称</translation>
    </message>
    <message>
        <source>Data folder</source>
        <translation>数据文件夹</translation>
    </message>
    <message>
        <source>default: the user cache folder</source>
        <translation>默认：用户缓存文件夹</translation>
    </message>
    <message>
        <source>Train size</source>
        <translation>训练样本数</translation>
    </message>
    <message>
        <source>Validation share</source>
        <translation>验证集比例</translation>
    </message>
    <message>
        <source>Normalize inputs</source>
        <translation>归一化输入</translation>
    </message>
    <message>
        <source>Shuffle every epoch</source>
        <translation>每轮打乱</translation>
    </message>
    <message>
        <source>Order</source>
        <translation>顺序</translation>
    </message>
    <message>
        <source>Label noise</source>
        <translation>标签噪声</translation>
    </message>
    <message>
        <source>Imbalance</source>
        <translation>类别不平衡</translation>
    </message>
    <message>
        <source>Augment</source>
        <translation>数据增强</translation>
    </message>
    <message>
        <source>Test shift</source>
        <translation>测试集偏移</translation>
    </message>
    <message>
        <source>Shift strength</source>
        <translation>偏移强度</translation>
    </message>
    <message>
        <source>Data seed</source>
        <translation>数据种子</translation>
    </message>
    <message>
        <source>Sampler</source>
        <translation>采样器</translation>
    </message>
    <message>
        <source>Network</source>
        <translation>网络</translation>
    </message>
    <message>
        <source>Kind</source>
        <translation>类型</translation>
    </message>
    <message>
        <source>Cell</source>
        <translation>循环单元</translation>
    </message>
    <message>
        <source>Bidirectional</source>
        <translation>双向</translation>
    </message>
    <message>
        <source>Conv blocks</source>
        <translation>卷积块</translation>
    </message>
    <message>
        <source>channels</source>
        <translation>通道</translation>
    </message>
    <message>
        <source>Hidden layers</source>
        <translation>隐藏层</translation>
    </message>
    <message>
        <source>units</source>
        <translation>单元</translation>
    </message>
    <message>
        <source>Activation</source>
        <translation>激活函数</translation>
    </message>
    <message>
        <source>Init</source>
        <translation>初始化</translation>
    </message>
    <message>
        <source>Init std</source>
        <translation>初始化标准差</translation>
    </message>
    <message>
        <source>Normalization</source>
        <translation>归一化</translation>
    </message>
    <message>
        <source>Dropout</source>
        <translation>Dropout</translation>
    </message>
    <message>
        <source>Residual connections</source>
        <translation>残差连接</translation>
    </message>
    <message>
        <source>Training</source>
        <translation>训练</translation>
    </message>
    <message>
        <source>Optimizer</source>
        <translation>优化器</translation>
    </message>
    <message>
        <source>Learning rate</source>
        <translation>学习率</translation>
    </message>
    <message>
        <source>Momentum</source>
        <translation>动量</translation>
    </message>
    <message>
        <source>Batch size</source>
        <translation>批量大小</translation>
    </message>
    <message>
        <source>Epochs</source>
        <translation>轮数</translation>
    </message>
    <message>
        <source>Loss</source>
        <translation>损失函数</translation>
    </message>
    <message>
        <source>L2 (weight decay)</source>
        <translation>L2（权重衰减）</translation>
    </message>
    <message>
        <source>L1</source>
        <translation>L1</translation>
    </message>
    <message>
        <source>Grad clip</source>
        <translation>梯度裁剪</translation>
    </message>
    <message>
        <source>LR schedule</source>
        <translation>学习率调度</translation>
    </message>
    <message>
        <source>LR decay</source>
        <translation>学习率衰减</translation>
    </message>
    <message>
        <source>LR step</source>
        <translation>学习率步长</translation>
    </message>
    <message>
        <source>Early stopping</source>
        <translation>提前停止</translation>
    </message>
    <message>
        <source>Class weights</source>
        <translation>类别权重</translation>
    </message>
    <message>
        <source>Label smoothing</source>
        <translation>标签平滑</translation>
    </message>
    <message>
        <source>Probe every</source>
        <translation>探测间隔</translation>
    </message>
    <message>
        <source>CPU threads</source>
        <translation>CPU 线程数</translation>
    </message>
    <message>
        <source>Device</source>
        <translation>设备</translation>
    </message>
    <message>
        <source>Seed</source>
        <translation>种子</translation>
    </message>
    <message>
        <source>Verify the fixes with short runs</source>
        <translation>用短时运行验证修复</translation>
    </message>
    <message>
        <source>Parameter count: needs the dataset</source>
        <translation>参数量：需要先载入数据集</translation>
    </message>
    <message>
        <source>Parameter count: computing…</source>
        <translation>参数量：计算中…</translation>
    </message>
    <message>
        <source>Loading the dataset preview…</source>
        <translation>正在载入数据集预览…</translation>
    </message>
    <message>
        <source>Click an image to see what a CNN&apos;s layers make of it (the Filters tab)</source>
        <translation>点击一张图像，查看 CNN 的各层如何处理它（“滤波器”标签页）</translation>
    </message>
    <message>
        <source>cannot build this network: {error}</source>
        <translation>无法构建此网络：{error}</translation>
    </message>
</context>
<context>
    <name>Export</name>
    <message>
        <source>HTML report (*.html)</source>
        <translation>HTML 报告 (*.html)</translation>
    </message>
    <message>
        <source>CSV table (*.csv)</source>
        <translation>CSV 表格 (*.csv)</translation>
    </message>
    <message>
        <source>JSON (*.json)</source>
        <translation>JSON (*.json)</translation>
    </message>
    <message>
        <source>PNG image (*.png)</source>
        <translation>PNG 图像 (*.png)</translation>
    </message>
    <message>
        <source>SVG image (*.svg)</source>
        <translation>SVG 图像 (*.svg)</translation>
    </message>
    <message>
        <source>Export failed</source>
        <translation>导出失败</translation>
    </message>
    <message>
        <source>Export comparison</source>
        <translation>导出比较</translation>
    </message>
    <message>
        <source>Export as PyTorch script</source>
        <translation>导出为 PyTorch 脚本</translation>
    </message>
    <message>
        <source>Python script (*.py)</source>
        <translation>Python 脚本 (*.py)</translation>
    </message>
    <message>
        <source>Export TensorBoard logs into</source>
        <translation>将 TensorBoard 日志导出到</translation>
    </message>
    <message>
        <source>Save the run into</source>
        <translation>将运行保存到</translation>
    </message>
    <message>
        <source>Cannot save the run in {folder}: {reason}</source>
        <translation>无法将运行保存到 {folder}：{reason}</translation>
    </message>
</context>
<context>
    <name>FiltersView</name>
    <message>
        <source>Filters and feature maps are drawn for CNN runs (model.kind = &quot;cnn&quot;).</source>
        <translation>只为 CNN 运行（model.kind = &quot;cnn&quot;）绘制滤波器和特征图。</translation>
    </message>
    <message>
        <source>the run&apos;s final weights</source>
        <translation>运行的最终权重</translation>
    </message>
    <message>
        <source>the weights at the end of epoch {epoch}</source>
        <translation>第 {epoch} 轮结束时的权重</translation>
    </message>
    <message>
        <source>, averaged over the {count} input channels</source>
        <translation>，对 {count} 个输入通道取平均</translation>
    </message>
    <message>
        <source>With {weights}. First conv layer: {count} filters of {size}×{size}{channels}. Below, the feature maps of each conv block (after its activation, before pooling) for {example}. Click an image in the dataset preview to pick another example.</source>
        <translation>使用{weights}。第一个卷积层：{count} 个 {size}×{size} 的滤波器{channels}。下方是{example}在每个卷积块中的特征图（激活之后、池化之前）。点击数据集预览中的图像可以换一个样本。</translation>
    </message>
    <message>
        <source>the example picked in the preview (class {label})</source>
        <translation>预览中选中的样本（类别 {label}）</translation>
    </message>
    <message>
        <source>the run&apos;s first validation example (class {label}): the image picked in the preview has another size than this run&apos;s inputs</source>
        <translation>运行的第一个验证样本（类别 {label}）：预览中选中的图像与此运行的输入尺寸不同</translation>
    </message>
    <message>
        <source>the run&apos;s first validation example (class {label})</source>
        <translation>运行的第一个验证样本（类别 {label}）</translation>
    </message>
    <message>
        <source>Filters</source>
        <translation>滤波器</translation>
    </message>
    <message>
        <source>Input</source>
        <translation>输入</translation>
    </message>
    <message>
        <source>Conv block {index}: {count} maps of {height}×{width}</source>
        <translation>卷积块 {index}：{count} 个 {height}×{width} 的特征图</translation>
    </message>
</context>
<context>
    <name>FindingCard</name>
    <message>
        <source>error</source>
        <translation>错误</translation>
    </message>
    <message>
        <source>warning</source>
        <translation>警告</translation>
    </message>
    <message>
        <source>info</source>
        <translation>提示</translation>
    </message>
    <message>
        <source>Apply fix: {overrides}</source>
        <translation>应用修复：{overrides}</translation>
    </message>
    <message>
        <source>raised before training (step 0)</source>
        <translation>训练前发现（第 0 步）</translation>
    </message>
    <message>
        <source>raised at epoch {epoch}</source>
        <translation>第 {epoch} 轮发现</translation>
    </message>
    <message>
        <source>Evidence: {evidence}</source>
        <translation>证据：{evidence}</translation>
    </message>
    <message>
        <source>Why, in general (the cure it names did worse on this run): {why}</source>
        <translation>一般原因（其中所说的疗法在这次运行中效果更差）：{why}</translation>
    </message>
    <message>
        <source>Why: {why}</source>
        <translation>原因：{why}</translation>
    </message>
    <message>
        <source>A consequence of: {cause}</source>
        <translation>起因：{cause}</translation>
    </message>
    <message>
        <source>✓ Verified: with this fix, balanced validation accuracy (the mean recall over the classes) reached {value} after {epochs} epochs, against {baseline} without</source>
        <translation>✓ 已验证：采用此修复后，{epochs} 轮训练的平衡验证准确率（各类别召回率的平均值）达到 {value}，不采用时为 {baseline}</translation>
    </message>
    <message>
        <source>✓ Verified: with this fix, validation accuracy reached {value} after {epochs} epochs, against {baseline} without</source>
        <translation>✓ 已验证：采用此修复后，{epochs} 轮训练的验证准确率达到 {value}，不采用时为 {baseline}</translation>
    </message>
    <message>
        <source>Its fix made validation worse in a short run, so none is offered; the evidence cannot rule out: {candidates}</source>
        <translation>其修复方案在短时运行中使验证结果变差，因此不提供修复；现有证据无法排除：{candidates}</translation>
    </message>
    <message>
        <source>Its fix made validation worse in a short run, so none is offered</source>
        <translation>其修复方案在短时运行中使验证结果变差，因此不提供修复</translation>
    </message>
    <message>
        <source>Show the distributions of
{layer} at epoch {epoch}</source>
        <translation>显示{layer}
在第 {epoch} 轮的分布</translation>
    </message>
    <message>
        <source>Show the confusion matrix
at epoch {epoch}</source>
        <translation>显示第 {epoch} 轮的
混淆矩阵</translation>
    </message>
    <message>
        <source>Show where each
step&apos;s time goes</source>
        <translation>显示每一步的
时间花在哪里</translation>
    </message>
</context>
<context>
    <name>ForkAction</name>
    <message>
        <source>&amp;Fork from epoch…</source>
        <translation>从某一轮分叉(&amp;F)…</translation>
    </message>
    <message>
        <source>Continue the selected run from the end of one of its epochs, with changed settings or none, overlaid on it</source>
        <translation>从所选运行某一轮的结束处继续训练（可修改设置，也可不改），并叠加显示在原运行上</translation>
    </message>
    <message>
        <source>This fork cannot start</source>
        <translation>无法开始此分叉</translation>
    </message>
</context>
<context>
    <name>ForkDialog</name>
    <message>
        <source>Fork {run} from an epoch</source>
        <translation>从某一轮分叉 {run}</translation>
    </message>
    <message>
        <source>From the end of &amp;epoch</source>
        <translation>从第几轮结束处开始(&amp;E)</translation>
    </message>
    <message>
        <source>&amp;Learning rate</source>
        <translation>学习率(&amp;L)</translation>
    </message>
    <message>
        <source>&amp;Weight decay</source>
        <translation>权重衰减(&amp;W)</translation>
    </message>
    <message>
        <source>&amp;Dropout</source>
        <translation>Dropout(&amp;D)</translation>
    </message>
    <message>
        <source>Train until epoc&amp;h</source>
        <translation>训练到第几轮(&amp;H)</translation>
    </message>
    <message>
        <source>&amp;Fork</source>
        <translation>分叉(&amp;F)</translation>
    </message>
    <message>
        <source>No epoch of this run is kept in memory.</source>
        <translation>此运行没有任何一轮保存在内存中。</translation>
    </message>
    <message>
        <source>Kept in memory: epochs {first}–{last} of this run, {used} MB of the {budget} MB per run (the oldest epochs are dropped first).</source>
        <translation>内存中保留了此运行的第 {first}–{last} 轮，占每个运行 {budget} MB 额度中的 {used} MB（最早的轮次先被丢弃）。</translation>
    </message>
    <message>
        <source>Dropped: epochs {first}–{last}.</source>
        <translation>已丢弃：第 {first}–{last} 轮。</translation>
    </message>
    <message>
        <source>&amp;Use epoch {epoch}</source>
        <translation>使用第 {epoch} 轮(&amp;U)</translation>
    </message>
    <message>
        <source>{key}: &quot;{text}&quot; is not a number</source>
        <translation>{key}：&quot;{text}&quot; 不是数字</translation>
    </message>
</context>
<context>
    <name>Formatting</name>
    <message>
        <source>{rate} steps/s</source>
        <translation>每秒 {rate} 步</translation>
    </message>
</context>
<context>
    <name>GradientThroughTime</name>
    <message>
        <source>step {step} (first probe)</source>
        <translation>第 {step} 步（首次探测）</translation>
    </message>
    <message>
        <source>step {step} (newest probe)</source>
        <translation>第 {step} 步（最近一次探测）</translation>
    </message>
    <message>
        <source>{title}: step 1 gets {ratio} of step {last}&apos;s</source>
        <translation>{title}：第 1 步得到的梯度是第 {last} 步的 {ratio}</translation>
    </message>
    <message>
        <source>time step</source>
        <translation>时间步</translation>
    </message>
    <message>
        <source>‖∂loss/∂input‖</source>
        <translation>‖∂loss/∂input‖</translation>
    </message>
</context>
<context>
    <name>GridHeatmap</name>
    <message>
        <source>Mean validation accuracy of each configuration</source>
        <translation>各配置的平均验证准确率</translation>
    </message>
    <message>
        <source>Grey: no trial of this configuration ended with a result.</source>
        <translation>灰色：该配置没有任何试验得出结果。</translation>
    </message>
</context>
<context>
    <name>Help</name>
    <message>
        <source>not installed</source>
        <translation>未安装</translation>
    </message>
    <message>
        <source>Train small neural networks, watch them fail, and see why.</source>
        <translation>训练小型神经网络，看着它们失败，并弄清原因。</translation>
    </message>
    <message>
        <source>About Workbench</source>
        <translation>关于 Workbench</translation>
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
        <translation>列出窗口的所有键盘快捷键</translation>
    </message>
    <message>
        <source>&amp;About Workbench</source>
        <translation>关于 Workbench(&amp;A)</translation>
    </message>
    <message>
        <source>The versions of Workbench, PyTorch and Qt</source>
        <translation>Workbench、PyTorch 和 Qt 的版本</translation>
    </message>
</context>
<context>
    <name>LiveRun</name>
    <message>
        <source>Training {run}</source>
        <translation>正在训练 {run}</translation>
    </message>
    <message>
        <source>The dataset could not be loaded</source>
        <translation>无法载入数据集</translation>
    </message>
    <message>
        <source>{run} failed</source>
        <translation>{run} 失败</translation>
    </message>
    <message>
        <source>{run}: {status}</source>
        <translation>{run}：{status}</translation>
    </message>
    <message>
        <source>{run} is not being saved</source>
        <translation>{run} 未被保存</translation>
    </message>
    <message>
        <source>{problem}.

Training goes on and keeps every record in memory. When the run has ended, select it and choose File → Save run to folder… to keep it.</source>
        <translation>{problem}。

训练会继续，并把所有记录保存在内存中。运行结束后，选中它并选择 文件 → 将运行保存到文件夹… 即可保留。</translation>
    </message>
</context>
<context>
    <name>LrFinderDialog</name>
    <message>
        <source>Learning-rate finder — {experiment}</source>
        <translation>学习率查找器 — {experiment}</translation>
    </message>
    <message>
        <source>Loss against learning rate</source>
        <translation>损失随学习率的变化</translation>
    </message>
    <message>
        <source>learning rate</source>
        <translation>学习率</translation>
    </message>
    <message>
        <source>training loss</source>
        <translation>训练损失</translation>
    </message>
    <message>
        <source>Use this rate</source>
        <translation>使用此学习率</translation>
    </message>
    <message>
        <source>Set the experiment&apos;s learning rate (train.lr) to {lr:g}</source>
        <translation>将实验的学习率（train.lr）设为 {lr:g}</translation>
    </message>
    <message>
        <source>loss</source>
        <translation>损失</translation>
    </message>
    <message>
        <source>smoothed loss</source>
        <translation>平滑后的损失</translation>
    </message>
    <message>
        <source>suggested {lr:.2e} ({rule})</source>
        <translation>建议值 {lr:.2e}（{rule}）</translation>
    </message>
    <message>
        <source>The loss diverged at {lr:.2e}, where the test stopped.</source>
        <translation>损失在 {lr:.2e} 处发散，测试到此停止。</translation>
    </message>
    <message>
        <source>The other rule ({rule}) gives {lr:.2e}.</source>
        <translation>另一条规则（{rule}）给出 {lr:.2e}。</translation>
    </message>
    <message>
        <source>The experiment&apos;s learning rate now: {lr:g}.</source>
        <translation>实验当前的学习率：{lr:g}。</translation>
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
        <translation>{experiment} — {app}</translation>
    </message>
    <message>
        <source>Training is unavailable</source>
        <translation>无法训练</translation>
    </message>
    <message>
        <source>A preset file is broken</source>
        <translation>某个预设文件已损坏</translation>
    </message>
    <message>
        <source>Could not list the saved runs: {error}</source>
        <translation>无法列出已保存的运行：{error}</translation>
    </message>
    <message>
        <source>Cannot open {source}</source>
        <translation>无法打开 {source}</translation>
    </message>
    <message>
        <source>Loaded {experiment}</source>
        <translation>已载入 {experiment}</translation>
    </message>
    <message>
        <source>Cannot save</source>
        <translation>无法保存</translation>
    </message>
    <message>
        <source>Fix the problems shown in the experiment panel first.</source>
        <translation>请先修正实验面板中显示的问题。</translation>
    </message>
    <message>
        <source>Saved {path}</source>
        <translation>已保存 {path}</translation>
    </message>
    <message>
        <source>Training starts as soon as PyTorch has loaded…</source>
        <translation>PyTorch 载入后即开始训练…</translation>
    </message>
    <message>
        <source>This fix cannot be applied</source>
        <translation>无法应用此修复</translation>
    </message>
    <message>
        <source>{run}: {problem}</source>
        <translation>{run}：{problem}</translation>
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
        <translation>正在停止运行…</translation>
    </message>
</context>
<context>
    <name>ModelActions</name>
    <message>
        <source>&amp;Try the model…</source>
        <translation>试用模型(&amp;T)…</translation>
    </message>
    <message>
        <source>Draw a digit for the shown run&apos;s model, or click the decision boundary&apos;s plane, and see its class probabilities</source>
        <translation>为当前显示的运行的模型画一个数字，或点击决策边界平面，查看其各类别概率</translation>
    </message>
    <message>
        <source>The ONNX export needs the onnx package: pip install onnx</source>
        <translation>导出 ONNX 需要 onnx 包：pip install onnx</translation>
    </message>
    <message>
        <source>Export O&amp;NNX… (needs: pip install onnx)</source>
        <translation>导出 ONNX(&amp;N)…（需要：pip install onnx）</translation>
    </message>
    <message>
        <source>Export O&amp;NNX…</source>
        <translation>导出 ONNX(&amp;N)…</translation>
    </message>
    <message>
        <source>Save the shown run&apos;s trained model as an ONNX file (for Netron and other tools)</source>
        <translation>将当前显示的运行训练好的模型保存为 ONNX 文件（供 Netron 等工具使用）</translation>
    </message>
    <message>
        <source>Select a run first.</source>
        <translation>请先选择一个运行。</translation>
    </message>
    <message>
        <source>Cannot try the model</source>
        <translation>无法试用模型</translation>
    </message>
    <message>
        <source>Click a point of the plane to see the model&apos;s prediction there.</source>
        <translation>点击平面上的一点，查看模型在那里的预测。</translation>
    </message>
    <message>
        <source>Trying a model works for grey images such as digits (draw one) and for 2-D data (click the plane); this run&apos;s data is neither.</source>
        <translation>试用模型适用于数字等灰度图像（画一个）和二维数据（点击平面）；此运行的数据两者都不是。</translation>
    </message>
    <message>
        <source>Cannot export ONNX</source>
        <translation>无法导出 ONNX</translation>
    </message>
    <message>
        <source>Export ONNX</source>
        <translation>导出 ONNX</translation>
    </message>
    <message>
        <source>ONNX model (*.onnx)</source>
        <translation>ONNX 模型 (*.onnx)</translation>
    </message>
    <message>
        <source>Exported {path}</source>
        <translation>已导出 {path}</translation>
    </message>
</context>
<context>
    <name>NeuronsView</name>
    <message>
        <source>The units&apos; outputs could not be computed: {error}</source>
        <translation>无法计算各单元的输出：{error}</translation>
    </message>
    <message>
        <source>the run&apos;s final weights</source>
        <translation>运行的最终权重</translation>
    </message>
    <message>
        <source>the weights at the end of epoch {epoch}</source>
        <translation>第 {epoch} 轮结束时的权重</translation>
    </message>
    <message>
        <source>What each unit of the first hidden layers outputs over the input plane (the decision boundary&apos;s), with {weights}: blue negative, red positive, white zero, each layer scaled to its largest output.</source>
        <translation>前几个隐藏层的每个单元在输入平面（即决策边界所在的平面）上的输出，使用{weights}：蓝色为负，红色为正，白色为零，每层按其最大输出缩放。</translation>
    </message>
    <message>
        <source>{layer}: its {count} units</source>
        <translation>{layer}：全部 {count} 个单元</translation>
    </message>
    <message>
        <source>{layer}: the first {shown} of its {count} units</source>
        <translation>{layer}：{count} 个单元中的前 {shown} 个</translation>
    </message>
</context>
<context>
    <name>ParallelCoordinates</name>
    <message>
        <source>Trials across the settings, coloured by validation accuracy</source>
        <translation>各试验在各设置上的取值，按验证准确率着色</translation>
    </message>
    <message>
        <source>val acc</source>
        <translation>验证准确率</translation>
    </message>
</context>
<context>
    <name>PerLayerViews</name>
    <message>
        <source>Move the mouse over the plot to read each layer&apos;s value.</source>
        <translation>将鼠标移到图上即可读出每一层的值。</translation>
    </message>
    <message>
        <source>epoch</source>
        <translation>轮次</translation>
    </message>
    <message>
        <source>Diverged at step {step}.</source>
        <translation>在第 {step} 步发散。</translation>
    </message>
    <message>
        <source>No probe was taken before that (one every few steps).</source>
        <translation>在此之前没有进行探测（每隔几步探测一次）。</translation>
    </message>
    <message>
        <source>No probe recorded a finite value.</source>
        <translation>没有探测记录到有限值。</translation>
    </message>
    <message>
        <source>From step {step} some norms are exactly 0, which a log axis cannot show: those layers no longer learn.</source>
        <translation>从第 {step} 步起，部分范数恰好为 0，对数坐标无法显示：这些层已不再学习。</translation>
    </message>
    <message>
        <source>{title}: {reason}</source>
        <translation>{title}：{reason}</translation>
    </message>
    <message>
        <source>epoch {epoch}</source>
        <translation>第 {epoch} 轮</translation>
    </message>
    <message>
        <source>layer</source>
        <translation>层</translation>
    </message>
    <message>
        <source>{title} (latest probe)</source>
        <translation>{title}（最近一次探测）</translation>
    </message>
    <message>
        <source>{title} at step {step} (the newest probe above 0)</source>
        <translation>{title}，第 {step} 步（最近一次大于 0 的探测）</translation>
    </message>
</context>
<context>
    <name>PlotsArea</name>
    <message>
        <source>Loss &amp;&amp; accuracy</source>
        <translation>损失和准确率</translation>
    </message>
    <message>
        <source>Gradients</source>
        <translation>梯度</translation>
    </message>
    <message>
        <source>Activations</source>
        <translation>激活值</translation>
    </message>
    <message>
        <source>Weight updates</source>
        <translation>权重更新</translation>
    </message>
    <message>
        <source>Distributions</source>
        <translation>分布</translation>
    </message>
    <message>
        <source>Confusion</source>
        <translation>混淆矩阵</translation>
    </message>
    <message>
        <source>Decision boundary</source>
        <translation>决策边界</translation>
    </message>
    <message>
        <source>Speed</source>
        <translation>速度</translation>
    </message>
    <message>
        <source>Neurons</source>
        <translation>神经元</translation>
    </message>
    <message>
        <source>Filters</source>
        <translation>滤波器</translation>
    </message>
    <message>
        <source>Gradient norm per layer</source>
        <translation>各层梯度范数</translation>
    </message>
    <message>
        <source>gradient norm</source>
        <translation>梯度范数</translation>
    </message>
    <message>
        <source>Gradient flow</source>
        <translation>梯度流</translation>
    </message>
    <message>
        <source>Gradient through time</source>
        <translation>随时间步的梯度</translation>
    </message>
    <message>
        <source>Dead ReLU units (share)</source>
        <translation>死亡 ReLU 单元（比例）</translation>
    </message>
    <message>
        <source>share of units</source>
        <translation>单元比例</translation>
    </message>
    <message>
        <source>no ReLU-type layer</source>
        <translation>没有 ReLU 类的层</translation>
    </message>
    <message>
        <source>Saturated units (share beyond ±5)</source>
        <translation>饱和单元（超出 ±5 的比例）</translation>
    </message>
    <message>
        <source>no sigmoid/tanh layer</source>
        <translation>没有 sigmoid/tanh 层</translation>
    </message>
    <message>
        <source>Weight update ratio ‖ΔW‖/‖W‖ per layer</source>
        <translation>各层权重更新比 ‖ΔW‖/‖W‖</translation>
    </message>
    <message>
        <source>ratio</source>
        <translation>比值</translation>
    </message>
    <message>
        <source>typical ≈ 1e-3</source>
        <translation>典型值 ≈ 1e-3</translation>
    </message>
</context>
<context>
    <name>PointProbe</name>
    <message>
        <source>{name}: {share}</source>
        <translation>{name}：{share}</translation>
    </message>
    <message>
        <source>({x}, {y})</source>
        <translation>({x}, {y})</translation>
    </message>
</context>
<context>
    <name>PreTrainingChecks</name>
    <message>
        <source>Sanity c&amp;heck</source>
        <translation>健全性检查(&amp;H)</translation>
    </message>
    <message>
        <source>Check that the network can overfit one small batch before training it</source>
        <translation>在训练之前，检查网络能否过拟合一个小批次</translation>
    </message>
    <message>
        <source>Find le&amp;arning rate…</source>
        <translation>查找学习率(&amp;A)…</translation>
    </message>
    <message>
        <source>Try learning rates from 1e-7 to 10 and suggest one (fastai&apos;s range test)</source>
        <translation>尝试从 1e-7 到 10 的学习率并给出建议值（fastai 的范围测试）</translation>
    </message>
    <message>
        <source>The sanity check could not run</source>
        <translation>健全性检查无法运行</translation>
    </message>
    <message>
        <source>The learning-rate finder could not run</source>
        <translation>学习率查找器无法运行</translation>
    </message>
    <message>
        <source>Sanity check: overfitting one small batch of {experiment}…</source>
        <translation>健全性检查：正在过拟合 {experiment} 的一个小批次…</translation>
    </message>
    <message>
        <source>Sanity check passed</source>
        <translation>健全性检查通过</translation>
    </message>
    <message>
        <source>Sanity check failed</source>
        <translation>健全性检查未通过</translation>
    </message>
    <message>
        <source>{reason}

What it suggests: {finding}</source>
        <translation>{reason}

提示：{finding}</translation>
    </message>
    <message>
        <source>{experiment}: {verdict}</source>
        <translation>{experiment}：{verdict}</translation>
    </message>
    <message>
        <source>Finding a learning rate for {experiment}: about 100 short steps…</source>
        <translation>正在为 {experiment} 查找学习率：约 100 个短步…</translation>
    </message>
    <message>
        <source>Learning rate set to {lr:g}</source>
        <translation>学习率已设为 {lr:g}</translation>
    </message>
</context>
<context>
    <name>PresetBanner</name>
    <message>
        <source>Expected diagnosis: {ids}.</source>
        <translation>预期诊断：{ids}。</translation>
    </message>
    <message>
        <source>Run the cure and compare: {preset}</source>
        <translation>运行对策预设并比较：{preset}</translation>
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
        <source>&amp;Speed</source>
        <translation>速度(&amp;S)</translation>
    </message>
    <message>
        <source>&amp;Other</source>
        <translation>其他(&amp;O)</translation>
    </message>
    <message>
        <source>Expected diagnosis: {ids}</source>
        <translation>预期诊断：{ids}</translation>
    </message>
    <message>
        <source>Cure: {preset}</source>
        <translation>对策：{preset}</translation>
    </message>
    <message>
        <source>&amp;Presets</source>
        <translation>预设(&amp;P)</translation>
    </message>
    <message>
        <source>No presets found</source>
        <translation>未找到预设</translation>
    </message>
</context>
<context>
    <name>PruneDialog</name>
    <message>
        <source>Prune old runs</source>
        <translation>清理旧运行</translation>
    </message>
    <message>
        <source>Run</source>
        <translation>运行</translation>
    </message>
    <message>
        <source>Started</source>
        <translation>开始时间</translation>
    </message>
    <message>
        <source>Size</source>
        <translation>大小</translation>
    </message>
    <message>
        <source>Delete checked runs…</source>
        <translation>删除勾选的运行…</translation>
    </message>
    <message>
        <source>The runs folder takes {total}; its cap is {cap}. Deleting the checked runs frees {freed}, leaving {left}. Selected runs, runs training, runs forked from and sweeps&apos; trials are not offered.</source>
        <translation>运行文件夹占用 {total}；上限为 {cap}。删除勾选的运行可释放 {freed}，剩余 {left}。已选中的运行、正在训练的运行、被分叉的运行和扫描中的试验不在候选之列。</translation>
    </message>
</context>
<context>
    <name>RunController</name>
    <message>
        <source>PyTorch could not be loaded: {error}</source>
        <translation>无法载入 PyTorch：{error}</translation>
    </message>
</context>
<context>
    <name>RunOverlay</name>
    <message>
        <source>Accuracy</source>
        <translation>准确率</translation>
    </message>
    <message>
        <source>epoch</source>
        <translation>轮次</translation>
    </message>
    <message>
        <source>accuracy</source>
        <translation>准确率</translation>
    </message>
    <message>
        <source>loss</source>
        <translation>损失</translation>
    </message>
    <message>
        <source>Loss ({note})</source>
        <translation>损失（{note}）</translation>
    </message>
    <message>
        <source>Loss</source>
        <translation>损失</translation>
    </message>
    <message>
        <source>validation</source>
        <translation>验证</translation>
    </message>
    <message>
        <source>training</source>
        <translation>训练</translation>
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
    <message>
        <source>testing fixes</source>
        <translation>正在测试修复</translation>
    </message>
</context>
<context>
    <name>RunStatusBar</name>
    <message>
        <source>device: {device}</source>
        <translation>设备：{device}</translation>
    </message>
    <message>
        <source>device: loading PyTorch…</source>
        <translation>设备：正在载入 PyTorch…</translation>
    </message>
    <message>
        <source>starting…</source>
        <translation>正在启动…</translation>
    </message>
    <message>
        <source>epoch {epoch}/{epochs}</source>
        <translation>第 {epoch}/{epochs} 轮</translation>
    </message>
    <message>
        <source>testing fix {index} of {total}</source>
        <translation>正在测试修复 {index}/{total}</translation>
    </message>
    <message>
        <source>ETA: paused</source>
        <translation>预计剩余：已暂停</translation>
    </message>
    <message>
        <source>ETA {duration}</source>
        <translation>预计剩余 {duration}</translation>
    </message>
    <message>
        <source>{status} in {duration}</source>
        <translation>{status}，用时 {duration}</translation>
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
        <translation>重命名所选运行；新名称保存在其运行目录中</translation>
    </message>
    <message>
        <source>&amp;Delete runs…</source>
        <translation>删除运行(&amp;D)…</translation>
    </message>
    <message>
        <source>Delete the selected runs and their run directories, after a question</source>
        <translation>确认后删除所选运行及其运行目录</translation>
    </message>
    <message>
        <source>{run} was not renamed</source>
        <translation>{run} 未被重命名</translation>
    </message>
    <message>
        <source>{run} is still training; stop it first.</source>
        <translation>{run} 仍在训练中；请先停止它。</translation>
    </message>
    <message numerus="yes">
        <source>Delete %n run(s)?</source>
        <translation>
            <numerusform>删除 %n 个运行？</numerusform>
        </translation>
    </message>
    <message>
        <source>Delete {run}?</source>
        <translation>删除 {run}？</translation>
    </message>
    <message>
        <source>Their run directories are deleted from the disk:
{runs}

This cannot be undone.</source>
        <translation>它们的运行目录将从磁盘上删除：
{runs}

此操作无法撤销。</translation>
    </message>
    <message>
        <source>Delete</source>
        <translation>删除</translation>
    </message>
    <message>
        <source>Not every run was deleted</source>
        <translation>并非所有运行都已删除</translation>
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
    <message>
        <source>Size</source>
        <translation>大小</translation>
    </message>
    <message>
        <source>Epoch {epoch}: the lowest validation loss</source>
        <translation>第 {epoch} 轮：验证损失最低</translation>
    </message>
    <message>
        <source>Validation accuracy at the best epoch: the lowest validation loss, marked on the plots.
Not always the highest accuracy the run reached, nor its last.</source>
        <translation>最佳轮次（验证损失最低的一轮，图上有标记）的验证准确率。
不一定是本次运行达到的最高准确率，也不一定是最后一轮的。</translation>
    </message>
</context>
<context>
    <name>SelectedRunActions</name>
    <message>
        <source>&amp;Compare selected runs</source>
        <translation>比较所选运行(&amp;C)</translation>
    </message>
    <message>
        <source>Overlay the selected finished runs in the Compare tab</source>
        <translation>在“比较”标签页中叠加显示所选的已结束运行</translation>
    </message>
    <message>
        <source>Export &amp;comparison…</source>
        <translation>导出比较(&amp;C)…</translation>
    </message>
    <message>
        <source>Write the selected finished runs as an HTML report, CSV, JSON, PNG or SVG</source>
        <translation>将所选的已结束运行导出为 HTML 报告、CSV、JSON、PNG 或 SVG</translation>
    </message>
    <message>
        <source>Export run as PyTorch sc&amp;ript…</source>
        <translation>将运行导出为 PyTorch 脚本(&amp;R)…</translation>
    </message>
    <message>
        <source>Write the selected run as a standalone PyTorch script</source>
        <translation>将所选运行导出为独立的 PyTorch 脚本</translation>
    </message>
    <message>
        <source>Export run to &amp;TensorBoard…</source>
        <translation>将运行导出到 TensorBoard(&amp;T)…</translation>
    </message>
    <message>
        <source>Write the selected run&apos;s curves as TensorBoard event files</source>
        <translation>将所选运行的曲线写成 TensorBoard 事件文件</translation>
    </message>
    <message>
        <source>Sa&amp;ve run to folder…</source>
        <translation>将运行保存到文件夹(&amp;V)…</translation>
    </message>
    <message>
        <source>Write the selected run, which could not be saved where it trained, to a folder of your choice</source>
        <translation>将所选运行（未能保存在其训练位置）写入您选择的文件夹</translation>
    </message>
    <message>
        <source>C&amp;lone run and change one setting</source>
        <translation>克隆运行并修改一项设置(&amp;L)</translation>
    </message>
    <message>
        <source>Load the selected run&apos;s experiment, same seeds, to change one setting and run it as a twin</source>
        <translation>载入所选运行的实验（相同种子），修改一项设置后作为对照运行</translation>
    </message>
    <message>
        <source>Loaded a twin of {experiment} with the same seeds: change one setting, then press Run</source>
        <translation>已载入 {experiment} 的对照实验（相同种子）：修改一项设置后按“运行”</translation>
    </message>
    <message>
        <source>Wrote {path}</source>
        <translation>已写入 {path}</translation>
    </message>
    <message>
        <source>Saved {run} in {folder}</source>
        <translation>已将 {run} 保存到 {folder}</translation>
    </message>
</context>
<context>
    <name>SettingHelp</name>
    <message>
        <source>The data to learn: 2-D toy sets (generated), digit images and signals (offline), torchvision image sets (need their files) or your own CSV file.</source>
        <translation>要学习的数据：二维玩具数据集（生成）、数字图像和信号（离线）、torchvision 图像数据集（需要其文件），或您自己的 CSV 文件。</translation>
    </message>
    <message>
        <source>Toy sets: how many points are generated.</source>
        <translation>玩具数据集：生成多少个点。</translation>
    </message>
    <message>
        <source>Toy sets: how much the points scatter around their ideal shape.</source>
        <translation>玩具数据集：点在理想形状周围的分散程度。</translation>
    </message>
    <message>
        <source>Sequence memory: the steps in each sequence; only the first one says the class.</source>
        <translation>Sequence memory：每个序列的步数；只有第一步决定类别。</translation>
    </message>
    <message>
        <source>CSV data: the file to read.</source>
        <translation>CSV 数据：要读取的文件。</translation>
    </message>
    <message>
        <source>CSV data: the name of the column that holds the labels.</source>
        <translation>CSV 数据：存放标签的列名。</translation>
    </message>
    <message>
        <source>Torchvision sets: the folder their files are in (empty: the user cache folder).</source>
        <translation>Torchvision 数据集：其文件所在的文件夹（留空：用户缓存文件夹）。</translation>
    </message>
    <message>
        <source>Keep only this many training examples, to study learning from little data (0: all of them).</source>
        <translation>只保留这么多训练样本，用于研究小数据下的学习（0：全部保留）。</translation>
    </message>
    <message>
        <source>The share of the training data held out to validate on.</source>
        <translation>从训练数据中留出用于验证的比例。</translation>
    </message>
    <message>
        <source>Standardize the inputs with the training set&apos;s mean and spread; off leaves them on their raw scale (pixels 0 to 255).</source>
        <translation>用训练集的均值和离散程度对输入做标准化；关闭时保持原始尺度（像素 0 到 255）。</translation>
    </message>
    <message>
        <source>Draw the training examples in a new order every epoch.</source>
        <translation>每一轮都以新的顺序抽取训练样本（打乱）。</translation>
    </message>
    <message>
        <source>The order of the training examples: random, or sorted by label (one class after another).</source>
        <translation>训练样本的顺序：随机，或按标签排序（一个类别接一个类别）。</translation>
    </message>
    <message>
        <source>The share of training labels replaced by random ones.</source>
        <translation>被替换为随机标签的训练标签比例。</translation>
    </message>
    <message>
        <source>How many times more examples the largest class has than the smallest (1: balanced).</source>
        <translation>最大类别的样本数是最小类别的多少倍（1：平衡）。</translation>
    </message>
    <message>
        <source>Random changes to each training example: noise (also for toy sets), and for images rotation, flips and crops.</source>
        <translation>对每个训练样本的随机改动（数据增强）：噪声（玩具数据集也适用），以及图像的旋转、翻转和裁剪。</translation>
    </message>
    <message>
        <source>The same changes made once to the test set only, so that it differs from what training and validation show.</source>
        <translation>只对测试集做一次同样的改动，使它与训练集和验证集所呈现的数据不同。</translation>
    </message>
    <message>
        <source>How strong the test set&apos;s changes are (1: as the augmentation makes them).</source>
        <translation>测试集改动的强度（1：与数据增强的强度相同）。</translation>
    </message>
    <message>
        <source>Seed of the data: the same seed gives the same points and the same split.</source>
        <translation>数据的随机种子：相同的种子给出相同的点和相同的划分。</translation>
    </message>
    <message>
        <source>A multi-layer perceptron, a small convolutional network for images, or a recurrent network that reads its input as a sequence (images row by row).</source>
        <translation>多层感知机、用于图像的小型卷积网络，或把输入当作序列读取的循环神经网络（图像逐行读取）。</translation>
    </message>
    <message>
        <source>Recurrent network: a plain RNN, or a gated GRU or LSTM that carries its memory, and its gradient, across many steps.</source>
        <translation>循环神经网络：普通 RNN，或带门控的 GRU、LSTM，它们能把记忆及其梯度带过很多步。</translation>
    </message>
    <message>
        <source>Recurrent network: each layer reads the sequence forwards and backwards.</source>
        <translation>循环神经网络：每一层都正向和反向读取序列。</translation>
    </message>
    <message>
        <source>Convolutional network: the channels of each block (3×3 convolution, activation, optional normalization, 2×2 max-pooling).</source>
        <translation>卷积网络：每个块的通道数（3×3 卷积、激活函数、可选的归一化、2×2 最大池化）。</translation>
    </message>
    <message>
        <source>The widths of the hidden layers (for a convolutional network: of its dense head).</source>
        <translation>各隐藏层的宽度（卷积网络则为其全连接头部的宽度）。</translation>
    </message>
    <message>
        <source>The nonlinearity after each hidden layer.</source>
        <translation>每个隐藏层之后的激活函数（非线性）。</translation>
    </message>
    <message>
        <source>How the weights are drawn before training (default: PyTorch&apos;s own).</source>
        <translation>训练前权重的初始化方式（default：PyTorch 自带的方式）。</translation>
    </message>
    <message>
        <source>Initialization &quot;normal&quot;: the standard deviation of the weights and biases.</source>
        <translation>初始化方式 &quot;normal&quot;：权重和偏置的标准差。</translation>
    </message>
    <message>
        <source>Batch or layer normalization after each hidden layer.</source>
        <translation>在每个隐藏层之后做批量归一化或层归一化。</translation>
    </message>
    <message>
        <source>The share of hidden units switched off at random in each training step.</source>
        <translation>Dropout：每个训练步中随机关闭的隐藏单元比例。</translation>
    </message>
    <message>
        <source>Skip connections around hidden layers of equal width.</source>
        <translation>在等宽的隐藏层之间加跳跃连接（残差连接）。</translation>
    </message>
    <message>
        <source>The update rule that turns gradients into weight changes.</source>
        <translation>优化器：把梯度变成权重变化的更新规则。</translation>
    </message>
    <message>
        <source>The learning rate: how far each update moves the weights.</source>
        <translation>学习率：每次更新把权重移动多远。</translation>
    </message>
    <message>
        <source>Momentum and Nesterov: the share of the previous update carried into the next.</source>
        <translation>Momentum 和 Nesterov：上一次更新带入下一次更新的比例（动量）。</translation>
    </message>
    <message>
        <source>Training examples per update step.</source>
        <translation>每个更新步的训练样本数（批量大小）。</translation>
    </message>
    <message>
        <source>Passes over the training set.</source>
        <translation>遍历训练集的次数（轮数）。</translation>
    </message>
    <message>
        <source>What training minimizes: cross-entropy, or the squared error between the softmax probabilities and one-hot targets.</source>
        <translation>训练要最小化的损失函数：交叉熵，或 softmax 概率与 one-hot 目标之间的平方误差。</translation>
    </message>
    <message>
        <source>L2 regularization: pulls every weight towards 0 in proportion to its size.</source>
        <translation>L2 正则化：按每个权重的大小成比例地把它拉向 0。</translation>
    </message>
    <message>
        <source>L1 regularization: pulls every weight towards 0 by the same amount, making many exactly 0.</source>
        <translation>L1 正则化：把每个权重以相同的量拉向 0，使许多权重恰好为 0。</translation>
    </message>
    <message>
        <source>The largest global gradient norm; larger gradients are scaled down to it (0: off).</source>
        <translation>全局梯度范数的上限；更大的梯度会被缩小到该值（梯度裁剪；0：关闭）。</translation>
    </message>
    <message>
        <source>How the learning rate changes over the epochs.</source>
        <translation>学习率随轮次的变化方式。</translation>
    </message>
    <message>
        <source>Step, exponential and plateau schedules: the factor the rate is multiplied by.</source>
        <translation>step、exponential 和 plateau 调度：学习率每次所乘的衰减因子。</translation>
    </message>
    <message>
        <source>Step schedule: the epochs between two decays.</source>
        <translation>step 调度：两次衰减之间的轮数。</translation>
    </message>
    <message>
        <source>Stop after this many epochs without a better validation loss, and restore the best weights (0: off).</source>
        <translation>验证损失连续这么多轮没有改善时停止，并恢复最佳权重（提前停止；0：关闭）。</translation>
    </message>
    <message>
        <source>Where training runs: auto picks CUDA, then MPS, then the CPU.</source>
        <translation>训练在哪里运行：auto 依次选择 CUDA、MPS、CPU。</translation>
    </message>
    <message>
        <source>Seed of the weights and the batch order: the same seed trains the same run again.</source>
        <translation>权重和批次顺序的随机种子：相同的种子会重新训练出相同的运行。</translation>
    </message>
    <message>
        <source>How training batches are drawn: random (each example once per epoch) or balanced (every class equally often, for rare classes).</source>
        <translation>训练批次的抽取方式：random（每轮每个样本一次）或 balanced（每个类别被抽到的次数相同，适用于稀有类别）。</translation>
    </message>
    <message>
        <source>Weight the loss by inverse class frequency (balanced), so that rare classes count as much as common ones.</source>
        <translation>按类别频率的倒数为损失加权（balanced），使稀有类别与常见类别同等重要。</translation>
    </message>
    <message>
        <source>Train toward targets softened by this much, so that no label is trusted fully: a less overconfident model. It did not help noisy labels on this app&apos;s benchmark.</source>
        <translation>标签平滑：以软化了这么多的目标进行训练，不完全相信任何标签，模型也就不那么过度自信。在本应用的基准测试中，它对噪声标签没有帮助。</translation>
    </message>
    <message>
        <source>Steps between the per-layer probes (gradient and weight norms, update sizes); 0 picks about 25 per epoch, never more often than every 8 steps. Probing every step can cost more than training.</source>
        <translation>两次逐层探测（梯度和权重范数、更新大小）之间的步数；0 表示每轮约 25 次，但最多每 8 步一次。每一步都探测的开销可能比训练本身还大。</translation>
    </message>
    <message>
        <source>CPU threads torch may use; 0 picks one for small models (extra threads only wait on each other there) and every core for large ones.</source>
        <translation>torch 可使用的 CPU 线程数；0 表示小模型用一个线程（多余的线程只会互相等待），大模型用全部核心。</translation>
    </message>
    <message>
        <source>After training, test the fixes of the leading findings in short runs of the same experiment (same seeds): a fix that measurably helps marks its finding verified, one that makes things worse is not offered. Costs up to half the run&apos;s time again.</source>
        <translation>训练结束后，用同一实验（相同种子）的短时运行检验主要发现的修复方案：确实有帮助的修复会把其发现标为已验证，使情况变差的修复则不提供。额外耗时最多为本次运行时间的一半。</translation>
    </message>
    <message>
        <source>from {low} to {high}</source>
        <translation>从 {low} 到 {high}</translation>
    </message>
    <message>
        <source>from {low} to below {high}</source>
        <translation>从 {low} 到小于 {high}</translation>
    </message>
    <message>
        <source>above {low}, up to {high}</source>
        <translation>大于 {low}，至多 {high}</translation>
    </message>
    <message>
        <source>above {low} and below {high}</source>
        <translation>大于 {low} 且小于 {high}</translation>
    </message>
    <message>
        <source>{low} or more</source>
        <translation>{low} 或更大</translation>
    </message>
    <message>
        <source>above {low}</source>
        <translation>大于 {low}</translation>
    </message>
    <message>
        <source>up to {high}</source>
        <translation>至多 {high}</translation>
    </message>
    <message>
        <source>below {high}</source>
        <translation>小于 {high}</translation>
    </message>
    <message>
        <source>{shortest} to {longest} of {items}</source>
        <translation>{shortest} 到 {longest} 个{items}</translation>
    </message>
    <message>
        <source>up to {longest} of {items}</source>
        <translation>至多 {longest} 个{items}</translation>
    </message>
    <message>
        <source>at least {shortest} of {items}</source>
        <translation>至少 {shortest} 个{items}</translation>
    </message>
    <message>
        <source>any number of {items}</source>
        <translation>任意数量的{items}</translation>
    </message>
    <message>
        <source>{shortest} to {longest} layers, each {items}</source>
        <translation>{shortest} 到 {longest} 层，每层为{items}</translation>
    </message>
    <message>
        <source>up to {longest} layers, each {items}</source>
        <translation>至多 {longest} 层，每层为{items}</translation>
    </message>
    <message>
        <source>at least {shortest} layers, each {items}</source>
        <translation>至少 {shortest} 层，每层为{items}</translation>
    </message>
    <message>
        <source>any number of layers, each {items}</source>
        <translation>任意层数，每层为{items}</translation>
    </message>
    <message>
        <source>any value</source>
        <translation>任意值</translation>
    </message>
    <message>
        <source>one of {choices}</source>
        <translation>以下之一：{choices}</translation>
    </message>
    <message>
        <source>on or off</source>
        <translation>开或关</translation>
    </message>
    <message>
        <source>any text</source>
        <translation>任意文本</translation>
    </message>
    <message>
        <source>a whole number {range}</source>
        <translation>整数，{range}</translation>
    </message>
    <message>
        <source>a number {range}</source>
        <translation>数字，{range}</translation>
    </message>
    <message>
        <source>Allowed: {values}.</source>
        <translation>允许的值：{values}。</translation>
    </message>
    <message>
        <source>empty</source>
        <translation>空</translation>
    </message>
    <message>
        <source>Default: {value}.</source>
        <translation>默认值：{value}。</translation>
    </message>
</context>
<context>
    <name>SettingRow</name>
    <message>
        <source>list of values</source>
        <translation>取值列表</translation>
    </message>
    <message>
        <source>range</source>
        <translation>范围</translation>
    </message>
    <message>
        <source>log range</source>
        <translation>对数范围</translation>
    </message>
    <message>
        <source>values, separated by commas</source>
        <translation>取值，用逗号分隔</translation>
    </message>
    <message>
        <source>low</source>
        <translation>下限</translation>
    </message>
    <message>
        <source>high</source>
        <translation>上限</translation>
    </message>
    <message>
        <source>Do not sweep this setting</source>
        <translation>不扫描此设置</translation>
    </message>
    <message>
        <source>{key}: give at least one value</source>
        <translation>{key}：请至少给出一个值</translation>
    </message>
    <message>
        <source>{key}: a range needs a number for low and for high</source>
        <translation>{key}：范围的下限和上限都需要是数字</translation>
    </message>
</context>
<context>
    <name>ShortcutsDialog</name>
    <message>
        <source>Keyboard shortcuts</source>
        <translation>键盘快捷键</translation>
    </message>
    <message>
        <source>Menu</source>
        <translation>菜单</translation>
    </message>
    <message>
        <source>Command</source>
        <translation>命令</translation>
    </message>
    <message>
        <source>Shortcut</source>
        <translation>快捷键</translation>
    </message>
</context>
<context>
    <name>SpeedView</name>
    <message>
        <source>data</source>
        <translation>数据</translation>
    </message>
    <message>
        <source>forward pass</source>
        <translation>前向传播</translation>
    </message>
    <message>
        <source>backward pass</source>
        <translation>反向传播</translation>
    </message>
    <message>
        <source>optimizer</source>
        <translation>优化器</translation>
    </message>
    <message>
        <source>probes</source>
        <translation>探测</translation>
    </message>
    <message>
        <source>epoch end (evaluation)</source>
        <translation>轮末（评估）</translation>
    </message>
    <message>
        <source>Training speed</source>
        <translation>训练速度</translation>
    </message>
    <message>
        <source>epoch</source>
        <translation>轮次</translation>
    </message>
    <message>
        <source>samples/s</source>
        <translation>样本/秒</translation>
    </message>
    <message>
        <source>Where each epoch&apos;s time goes</source>
        <translation>每轮的时间花在哪里</translation>
    </message>
    <message>
        <source>share of the epoch&apos;s time</source>
        <translation>占该轮时间的比例</translation>
    </message>
    <message>
        <source>GPU memory (peak per epoch)</source>
        <translation>GPU 内存（每轮峰值）</translation>
    </message>
    <message>
        <source>MiB</source>
        <translation>MiB</translation>
    </message>
    <message>
        <source>No timings yet: each epoch&apos;s are recorded at its end (a run made before Workbench measured them has none).</source>
        <translation>还没有计时：每轮的计时在该轮结束时记录（在 Workbench 开始计时之前做的运行没有计时）。</translation>
    </message>
    <message>
        <source>Epoch {epoch}: {speed} samples/s (CPU threads: {threads}); the largest share of its time is {phase} ({share}).</source>
        <translation>第 {epoch} 轮：每秒 {speed} 个样本（CPU 线程：{threads}）；占时间最多的是{phase}（{share}）。</translation>
    </message>
    <message>
        <source>Trained on the CPU: there is no GPU memory or utilisation to show.</source>
        <translation>在 CPU 上训练：没有可显示的 GPU 内存或利用率。</translation>
    </message>
    <message>
        <source>GPU: peak memory {memory} MiB, utilisation {utilization} at the end of epoch {epoch}.</source>
        <translation>GPU：第 {epoch} 轮结束时内存峰值 {memory} MiB，利用率 {utilization}。</translation>
    </message>
    <message>
        <source>GPU: peak memory {memory} MiB; utilisation is not reported here (it needs NVIDIA&apos;s NVML, through the pynvml package).</source>
        <translation>GPU：内存峰值 {memory} MiB；此处不报告利用率（需要通过 pynvml 包使用 NVIDIA 的 NVML）。</translation>
    </message>
</context>
<context>
    <name>SteerBox</name>
    <message>
        <source>Steer the running run (live)</source>
        <translation>调控正在训练的运行（实时）</translation>
    </message>
    <message>
        <source>&amp;Learning rate</source>
        <translation>学习率(&amp;L)</translation>
    </message>
    <message>
        <source>&amp;Weight decay</source>
        <translation>权重衰减(&amp;W)</translation>
    </message>
    <message>
        <source>&amp;Dropout</source>
        <translation>Dropout(&amp;D)</translation>
    </message>
    <message>
        <source>{key} of the run that is training: a new value applies from its next step and is marked on every plot</source>
        <translation>正在训练的运行的 {key}：新值从下一步起生效，并在每张图上标出</translation>
    </message>
    <message>
        <source>&amp;Apply</source>
        <translation>应用(&amp;A)</translation>
    </message>
    <message>
        <source>Change these settings of the training run from its next step</source>
        <translation>从下一步起修改正在训练的运行的这些设置</translation>
    </message>
    <message>
        <source>applies from the next step; marked on the plots; config.toml keeps the start</source>
        <translation>从下一步起生效；在图上标出；config.toml 保留初始值</translation>
    </message>
    <message>
        <source>Steer live:</source>
        <translation>实时调控：</translation>
    </message>
    <message>
        <source>{key}: &quot;{text}&quot; is not a number</source>
        <translation>{key}：&quot;{text}&quot; 不是数字</translation>
    </message>
    <message>
        <source>The run has finished training: nothing is left to steer.</source>
        <translation>此运行已结束训练：没有可调控的了。</translation>
    </message>
    <message>
        <source>From the next step: {changes}</source>
        <translation>从下一步起：{changes}</translation>
    </message>
</context>
<context>
    <name>SweepActions</name>
    <message>
        <source>S&amp;weep…</source>
        <translation>扫描(&amp;W)…</translation>
    </message>
    <message>
        <source>Train the experiment over several settings and seeds, side by side</source>
        <translation>用多组设置和种子并排训练此实验</translation>
    </message>
    <message>
        <source>Open s&amp;weep…</source>
        <translation>打开扫描(&amp;W)…</translation>
    </message>
    <message>
        <source>Show a sweep&apos;s folder again</source>
        <translation>重新显示某次扫描的文件夹</translation>
    </message>
    <message>
        <source>A sweep is running: stop it before starting another.</source>
        <translation>有一个扫描正在运行：请先停止它再开始另一个。</translation>
    </message>
    <message>
        <source>Cannot sweep</source>
        <translation>无法扫描</translation>
    </message>
    <message>
        <source>Fix the problems shown in the experiment panel first.</source>
        <translation>请先修正实验面板中显示的问题。</translation>
    </message>
    <message>
        <source>Sweep of {count} trials started in {path}</source>
        <translation>已在 {path} 开始包含 {count} 个试验的扫描</translation>
    </message>
    <message>
        <source>The sweep could not run</source>
        <translation>扫描无法运行</translation>
    </message>
    <message>
        <source>Sweep {name} ended: {path}</source>
        <translation>扫描 {name} 已结束：{path}</translation>
    </message>
    <message>
        <source>Open sweep</source>
        <translation>打开扫描</translation>
    </message>
    <message>
        <source>Cannot open the sweep</source>
        <translation>无法打开扫描</translation>
    </message>
    <message>
        <source>Cannot open the trial</source>
        <translation>无法打开试验</translation>
    </message>
</context>
<context>
    <name>SweepDialog</name>
    <message>
        <source>Sweep {name}</source>
        <translation>扫描 {name}</translation>
    </message>
    <message>
        <source>Train &lt;b&gt;{name}&lt;/b&gt; once for every combination of the values below, each with several seeds, on this machine (for a Ray cluster, use &lt;tt&gt;workbench sweep --backend ray&lt;/tt&gt;). A list is tried value by value; a range is drawn from, as many times as the random draws say.</source>
        <translation>在本机上对下列取值的每种组合各训练一次 &lt;b&gt;{name}&lt;/b&gt;，每种组合使用多个种子（若要使用 Ray 集群，请用 &lt;tt&gt;workbench sweep --backend ray&lt;/tt&gt;）。列表会逐个尝试其中的值；范围则按随机抽取次数从中抽取。</translation>
    </message>
    <message>
        <source>&amp;Add a setting</source>
        <translation>添加设置(&amp;A)</translation>
    </message>
    <message>
        <source>&amp;Seeds per configuration</source>
        <translation>每种配置的种子数(&amp;S)</translation>
    </message>
    <message>
        <source>Random &amp;draws</source>
        <translation>随机抽取次数(&amp;D)</translation>
    </message>
    <message>
        <source>Trials at &amp;once</source>
        <translation>同时运行的试验数(&amp;O)</translation>
    </message>
    <message>
        <source>one per core</source>
        <translation>每个核心一个</translation>
    </message>
    <message>
        <source>S&amp;tart sweep</source>
        <translation>开始扫描(&amp;T)</translation>
    </message>
    <message>
        <source>{key} is listed twice; sweep each setting in one row</source>
        <translation>{key} 列出了两次；每个设置请只在一行中扫描</translation>
    </message>
    <message>
        <source>&lt;b&gt;{trials} trials&lt;/b&gt;: {configurations} configurations × {seeds} seeds</source>
        <translation>&lt;b&gt;{trials} 个试验&lt;/b&gt;：{configurations} 种配置 × {seeds} 个种子</translation>
    </message>
</context>
<context>
    <name>SweepView</name>
    <message>
        <source>&amp;Stop sweep</source>
        <translation>停止扫描(&amp;S)</translation>
    </message>
    <message>
        <source>Running trials stop after their current step; finished trials are kept</source>
        <translation>运行中的试验在当前步结束后停止；已完成的试验会保留</translation>
    </message>
    <message>
        <source>&amp;Open as run</source>
        <translation>作为运行打开(&amp;O)</translation>
    </message>
    <message>
        <source>Open the selected trials as runs in the main window (or double-click)</source>
        <translation>在主窗口中把所选试验作为运行打开（或双击）</translation>
    </message>
    <message>
        <source>could not run</source>
        <translation>无法运行</translation>
    </message>
    <message>
        <source>stopped; the finished trials are kept</source>
        <translation>已停止；已完成的试验已保留</translation>
    </message>
    <message>
        <source>finished</source>
        <translation>已完成</translation>
    </message>
    <message>
        <source>Sweep: {name}</source>
        <translation>扫描：{name}</translation>
    </message>
    <message>
        <source>{done} of {total} trials done</source>
        <translation>已完成 {done}/{total} 个试验</translation>
    </message>
    <message>
        <source>stopping…</source>
        <translation>正在停止…</translation>
    </message>
    <message>
        <source>running</source>
        <translation>运行中</translation>
    </message>
    <message>
        <source>best {accuracy} ({settings})</source>
        <translation>最佳 {accuracy}（{settings}）</translation>
    </message>
    <message>
        <source>&lt;b&gt;What matters&lt;/b&gt; shows once trials of different settings have finished.</source>
        <translation>不同设置的试验完成后，这里会显示&lt;b&gt;哪些设置影响最大&lt;/b&gt;。</translation>
    </message>
    <message>
        <source>&lt;b&gt;What matters&lt;/b&gt; (share of the variance in validation accuracy over the trials):</source>
        <translation>&lt;b&gt;哪些设置影响最大&lt;/b&gt;（在各试验验证准确率方差中所占的比例）：</translation>
    </message>
    <message>
        <source>Of the settings alone, &lt;b&gt;{key}&lt;/b&gt; explains the most: {share}.</source>
        <translation>单看各个设置，&lt;b&gt;{key}&lt;/b&gt; 解释得最多：{share}。</translation>
    </message>
    <message>
        <source>Most of it is the settings acting together: the best value of one depends on the others, so compare each value at its own best, not at one shared setting.</source>
        <translation>大部分来自各设置的共同作用：一个设置的最佳值取决于其他设置，因此应在各自的最佳条件下比较每个取值，而不是在同一组共享设置下比较。</translation>
    </message>
    <message>
        <source>&lt;b&gt;Flagged by the diagnosis:&lt;/b&gt;</source>
        <translation>&lt;b&gt;诊断标记的问题：&lt;/b&gt;</translation>
    </message>
    <message>
        <source>&lt;b&gt;Failed trials:&lt;/b&gt;</source>
        <translation>&lt;b&gt;失败的试验：&lt;/b&gt;</translation>
    </message>
    <message>
        <source>Select one or more trials in the table to open them as runs.</source>
        <translation>在表格中选择一个或多个试验，即可把它们作为运行打开。</translation>
    </message>
    <message>
        <source>A trial that has not trained (yet) has no run to open: {trials}</source>
        <translation>（尚）未训练的试验没有可打开的运行：{trials}</translation>
    </message>
</context>
<context>
    <name>TrainedModels</name>
    <message>
        <source>No run is shown.</source>
        <translation>没有显示任何运行。</translation>
    </message>
    <message>
        <source>Shown from the end of the first epoch: the weights are taken at each epoch end.</source>
        <translation>从第一轮结束时开始显示：权重在每轮结束时记录。</translation>
    </message>
    <message>
        <source>This run&apos;s weights were not kept: runs saved before Workbench wrote model.pt, and runs whose folder could not be written, have none to look at.</source>
        <translation>此运行的权重没有保留：在 Workbench 写入 model.pt 之前保存的运行，以及文件夹无法写入的运行，都没有可查看的权重。</translation>
    </message>
    <message>
        <source>The weights of this run could not be read: {error}</source>
        <translation>无法读取此运行的权重：{error}</translation>
    </message>
    <message>
        <source>Reading the run&apos;s data…</source>
        <translation>正在读取运行的数据…</translation>
    </message>
    <message>
        <source>The run&apos;s data could not be read: {error}</source>
        <translation>无法读取运行的数据：{error}</translation>
    </message>
</context>
<context>
    <name>TrainingCurves</name>
    <message>
        <source>train loss</source>
        <translation>训练损失</translation>
    </message>
    <message>
        <source>val loss</source>
        <translation>验证损失</translation>
    </message>
    <message>
        <source>train acc</source>
        <translation>训练准确率</translation>
    </message>
    <message>
        <source>val acc</source>
        <translation>验证准确率</translation>
    </message>
    <message>
        <source>Move the mouse over a plot to read the exact values of an epoch.</source>
        <translation>将鼠标移到图上即可读出某一轮的精确数值。</translation>
    </message>
    <message>
        <source>Smoothing of the per-step training loss: an exponential moving average, as TensorBoard&apos;s slider. 0 shows every step as it was; 0.99 averages over about a hundred steps.</source>
        <translation>每步训练损失的平滑程度：指数移动平均，与 TensorBoard 的滑块相同。0 显示每一步的原始值；0.99 约为一百步的平均。</translation>
    </message>
    <message>
        <source>&amp;Smoothing</source>
        <translation>平滑(&amp;S)</translation>
    </message>
    <message>
        <source>Smoothing</source>
        <translation>平滑</translation>
    </message>
    <message>
        <source>&amp;Log scale</source>
        <translation>对数坐标(&amp;L)</translation>
    </message>
    <message>
        <source>Show the loss on a logarithmic axis: small late losses and huge diverged ones both stay readable</source>
        <translation>用对数坐标轴显示损失：后期很小的损失和发散时巨大的损失都清晰可读</translation>
    </message>
    <message>
        <source>Accuracy</source>
        <translation>准确率</translation>
    </message>
    <message>
        <source>epoch</source>
        <translation>轮次</translation>
    </message>
    <message>
        <source>accuracy</source>
        <translation>准确率</translation>
    </message>
    <message>
        <source>loss</source>
        <translation>损失</translation>
    </message>
    <message>
        <source>training (per epoch)</source>
        <translation>训练（每轮）</translation>
    </message>
    <message>
        <source>validation (per epoch)</source>
        <translation>验证（每轮）</translation>
    </message>
    <message>
        <source>train loss per step (smoothed)</source>
        <translation>每步训练损失（平滑后）</translation>
    </message>
    <message>
        <source>best epoch {epoch} (lowest val loss)</source>
        <translation>最佳：第 {epoch} 轮（验证损失最低）</translation>
    </message>
    <message>
        <source>validation</source>
        <translation>验证</translation>
    </message>
    <message>
        <source>training</source>
        <translation>训练</translation>
    </message>
    <message>
        <source>Loss ({note})</source>
        <translation>损失（{note}）</translation>
    </message>
    <message>
        <source>Loss</source>
        <translation>损失</translation>
    </message>
    <message>
        <source>epoch {epoch}</source>
        <translation>第 {epoch} 轮</translation>
    </message>
</context>
<context>
    <name>TrialsModel</name>
    <message>
        <source>seed</source>
        <translation>种子</translation>
    </message>
    <message>
        <source>status</source>
        <translation>状态</translation>
    </message>
    <message>
        <source>val acc</source>
        <translation>验证准确率</translation>
    </message>
    <message>
        <source>val loss</source>
        <translation>验证损失</translation>
    </message>
    <message>
        <source>best epoch</source>
        <translation>最佳轮次</translation>
    </message>
    <message>
        <source>diagnosis</source>
        <translation>诊断</translation>
    </message>
    <message>
        <source>pending</source>
        <translation>等待中</translation>
    </message>
    <message>
        <source>healthy</source>
        <translation>健康</translation>
    </message>
</context>
<context>
    <name>WidthListField</name>
    <message>
        <source>+ Add layer</source>
        <translation>+ 添加层</translation>
    </message>
    <message>
        <source>layer {layer} width</source>
        <translation>第 {layer} 层宽度</translation>
    </message>
    <message>
        <source>move this layer up</source>
        <translation>上移此层</translation>
    </message>
    <message>
        <source>move this layer down</source>
        <translation>下移此层</translation>
    </message>
    <message>
        <source>remove this layer</source>
        <translation>删除此层</translation>
    </message>
</context>
</TS>
