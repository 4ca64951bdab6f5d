import sys,re
L=["find_spec","_find_and_load","_find_parent_path_names","_fixupParents","collect_model_fields","inspect_namespace","match_type","_generate_schema","traverse_schema","update_core_metadata","_process_class","_eval_type","_type_check","_collect_parameters","context_windows_from_catalog","bare_model_name"]
tot=0; hit=0; fails=0; first=None; last=None
for l in open(sys.argv[1],errors="replace"):
    m=re.match(r"\[engine\] opt (done|failed)\s+engine=\d+\s+id=\d+\s+(.*?)\s*\|.*?Time\s+(\d+)",l)
    if not m: continue
    t=int(m.group(3)); tot+=t
    if any(x in m.group(2) for x in L): hit+=t
    if m.group(1)=="failed": fails+=t
print(sys.argv[1], "total compile s", tot/1000, "load-time s", hit/1000, "share", round(hit/tot,2), "failed s", fails/1000)
