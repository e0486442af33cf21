select * from thelook_ecommerce.order_items
